using Akka.Configuration;

namespace AkkaWal.Cli.Hosting.Configuration;

/// <summary>The <c>akkawal.host</c> defaults: what the hosting layer itself reads (logging thresholds, health, HTTP).</summary>
public static class HostingConfig
{
    public const string Hocon = """
        akkawal.host {
          # An fsync slower than this is logged as a warning (structured event "slow fsync"). Positive duration.
          slow-fsync-threshold = 100ms
          # The health check reports Degraded when the journal's disk has less free space than this. Non-negative byte size.
          min-free-disk-space = 256MiB
          # Longest an HTTP request waits for the pipeline's answer before it gets 503 (outcome unknown). Positive duration.
          request-timeout = 30s
          # How long SIGTERM waits for in-flight HTTP requests before the WAL is flushed and closed. Positive duration.
          shutdown-timeout = 30s
        }
        """;

    public static Config Default { get; } = ConfigurationFactory.ParseString(Hocon);
}
