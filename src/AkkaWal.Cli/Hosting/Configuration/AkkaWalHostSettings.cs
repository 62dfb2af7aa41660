using Akka.Configuration;
using AkkaWal.Persistence.Configuration;

namespace AkkaWal.Cli.Hosting.Configuration;

/// <summary>The validated <c>akkawal.host</c> section (what the `akkawal serve` host itself reads).</summary>
public sealed record AkkaWalHostSettings(
    TimeSpan SlowFsyncThreshold,
    long MinFreeDiskSpace,
    TimeSpan RequestTimeout,
    TimeSpan ShutdownTimeout,
    Uri? OtlpEndpoint)
{
    /// <summary>The section's path.</summary>
    public const string SectionPath = "akkawal.host";

    /// <summary>Reads the section from a full configuration; throws one exception naming every bad key.</summary>
    public static AkkaWalHostSettings Create(Config config)
    {
        var (settings, reader) = Read(config);
        reader.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Every problem of the section, each naming its full key.</summary>
    public static IReadOnlyList<string> Check(Config config) => Read(config).Reader.Problems;

    private static (AkkaWalHostSettings Settings, PluginConfigReader Reader) Read(Config config)
    {
        var section = config.HasPath(SectionPath) ? config.GetConfig(SectionPath) : Config.Empty;
        var r = new PluginConfigReader(section, SectionPath, HostingConfig.Default.GetConfig(SectionPath));
        var otlp = r.String("otlp-endpoint", allowEmpty: true);
        Uri? otlpEndpoint = null;
        if (!string.IsNullOrWhiteSpace(otlp) && !Uri.TryCreate(otlp, UriKind.Absolute, out otlpEndpoint))
            r.Problem($"{r.Key("otlp-endpoint")} = \"{otlp}\" is invalid: expected an absolute URL such as http://collector:4317, or empty");
        return (new AkkaWalHostSettings(
            r.PositiveDuration("slow-fsync-threshold"),
            r.ByteSize("min-free-disk-space", 0, long.MaxValue),
            r.PositiveDuration("request-timeout"),
            r.PositiveDuration("shutdown-timeout"),
            otlpEndpoint), r);
    }
}
