using System.Diagnostics.Metrics;

namespace AkkaWal.Cli.Serve;

/// <summary>The "AkkaWal.Host" meter: what the HTTP API did. Exported on /metrics with the engine's meters.</summary>
public static class ServeMetrics
{
    public const string MeterName = "AkkaWal.Host";
    private static readonly Meter Meter = new(MeterName, "1.0");

    public static readonly Counter<long> Prepared = Meter.CreateCounter<long>("akkawal.host.prepared", "{transaction}", "Prepares acknowledged (durable).");
    public static readonly Counter<long> Committed = Meter.CreateCounter<long>("akkawal.host.committed", "{transaction}", "Commits acknowledged (durable).");
    public static readonly Counter<long> Aborted = Meter.CreateCounter<long>("akkawal.host.aborted", "{transaction}", "Aborts acknowledged (durable).");
    public static readonly Counter<long> Rejected = Meter.CreateCounter<long>("akkawal.host.rejected", "{request}", "Requests refused (nothing written), by reason.");
    public static readonly Counter<long> Unanswered = Meter.CreateCounter<long>("akkawal.host.unanswered", "{request}", "Requests the pipeline did not answer in time (503).");
    public static readonly Histogram<double> CommitLatency = Meter.CreateHistogram<double>("akkawal.host.commit.duration", "ms", "Commit request to durable acknowledgement.");
}
