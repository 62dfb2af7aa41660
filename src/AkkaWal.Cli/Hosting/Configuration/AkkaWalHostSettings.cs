using Akka.Configuration;
using AkkaWal.Persistence.Configuration;

namespace AkkaWal.Cli.Hosting.Configuration;

/// <summary>The validated <c>akkawal.host</c> section (what the `akkawal serve` host itself reads).</summary>
public sealed record AkkaWalHostSettings(
    TimeSpan SlowFsyncThreshold,
    long MinFreeDiskSpace,
    TimeSpan RequestTimeout,
    TimeSpan ShutdownTimeout,
    Uri? OtlpEndpoint,
    string? AdminToken,
    string? ApiToken,
    IReadOnlyList<string> AllowedHosts,
    int MaxConcurrentRequests,
    int RequestQueueLimit,
    TimeSpan HttpRequestTimeout)
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
        var requestTimeout = r.PositiveDuration("request-timeout");
        var httpRequestTimeout = r.PositiveDuration("http-request-timeout");
        if (!r.HasProblem("request-timeout") && !r.HasProblem("http-request-timeout") && httpRequestTimeout <= requestTimeout)
            r.Problem($"{r.Key("http-request-timeout")} ({httpRequestTimeout.TotalSeconds:0.###} s) is not allowed: must exceed {r.Key("request-timeout")} ({requestTimeout.TotalSeconds:0.###} s)");
        return (new AkkaWalHostSettings(
            r.PositiveDuration("slow-fsync-threshold"),
            r.ByteSize("min-free-disk-space", 0, long.MaxValue),
            requestTimeout,
            r.PositiveDuration("shutdown-timeout"),
            otlpEndpoint,
            Token(r, "admin-token"),
            Token(r, "api-token"),
            HostNames(section, r, "allowed-hosts"),
            (int)r.Long("max-concurrent-requests", 1, int.MaxValue),
            (int)r.Long("request-queue-limit", 0, int.MaxValue),
            httpRequestTimeout), r);
    }

    /// <summary>A secret: empty (not used, or generated) or long enough not to be guessed.</summary>
    private static string? Token(PluginConfigReader r, string key)
    {
        var value = r.String(key, allowEmpty: true);
        if (value.Length == 0) return null;
        if (value.Trim().Length >= 16 && value.Trim() == value) return value;
        r.Problem($"{r.Key(key)} is invalid: expected empty or a token of at least 16 characters without surrounding spaces");
        return null;
    }

    private static IReadOnlyList<string> HostNames(Config section, PluginConfigReader r, string key)
    {
        IList<string>? list = null;
        try { list = section.WithFallback(HostingConfig.Default.GetConfig(SectionPath)).GetStringList(key); }
        catch (Exception) { /* reported below */ }
        if (list is not null && list.All(s => !string.IsNullOrWhiteSpace(s))) return list.ToArray();
        r.Problem($"{r.Key(key)} is invalid: expected a list of non-empty strings, such as [\"wal.example.com\"]");
        return [];
    }
}
