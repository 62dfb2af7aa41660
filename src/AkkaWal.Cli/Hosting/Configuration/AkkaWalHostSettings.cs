using Akka.Configuration;

namespace AkkaWal.Cli.Hosting.Configuration;

/// <summary>The validated <c>akkawal.host</c> section.</summary>
public sealed record AkkaWalHostSettings(
    TimeSpan SlowFsyncThreshold,
    long MinFreeDiskSpace,
    TimeSpan RequestTimeout,
    TimeSpan ShutdownTimeout)
{
    /// <summary>Reads the section from a full configuration (validate it first with <see cref="AkkaWalConfigValidator"/>).</summary>
    public static AkkaWalHostSettings Create(Config config)
    {
        var section = config.WithFallback(HostingConfig.Default).GetConfig("akkawal.host");
        return new AkkaWalHostSettings(
            section.GetTimeSpan("slow-fsync-threshold"),
            section.GetByteSize("min-free-disk-space") ?? 0,
            section.GetTimeSpan("request-timeout"),
            section.GetTimeSpan("shutdown-timeout"));
    }
}
