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
          # Bearer token /admin/* requires (Authorization: Bearer TOKEN). Empty: `akkawal serve` generates one at every
          # start into DATA/admin-token (mode 0600) and logs where it is. Empty or at least 16 characters.
          admin-token = ""
          # Bearer token every endpoint requires (the admin token is accepted too). Required to listen beyond loopback;
          # empty: no token on loopback. Empty or at least 16 characters.
          api-token = ""
          # Host names clients may use in the Host header (against DNS rebinding) besides the names `--urls` binds;
          # needed when binding all interfaces (0.0.0.0, [::], *), where the bound name says nothing. A list of names.
          allowed-hosts = []
          # Requests handled at once; up to request-queue-limit more wait, beyond that 503 with Retry-After.
          # /health and /metrics are not counted. Whole numbers, at least 1 and at least 0.
          max-concurrent-requests = 256
          request-queue-limit = 1024
          # Longest a whole HTTP request may take, reading its body included (then 504). Must exceed request-timeout.
          http-request-timeout = 60s
          # Where metrics are pushed with OTLP (such as http://collector:4317); empty: not pushed, unless OpenTelemetry's
          # own OTEL_EXPORTER_OTLP_ENDPOINT is set. /metrics (Prometheus text) is served either way.
          otlp-endpoint = ""
        }
        """;

    public static Config Default { get; } = ConfigurationFactory.ParseString(Hocon);
}
