using System.Diagnostics.Metrics;

namespace AkkaWal.Cli.Serve;

/// <summary>The "AkkaWal.Host" meter: what the HTTP API did. Created through the host's <see cref="IMeterFactory"/>
/// (so it lives and is disposed with the host); exported on /metrics and by OpenTelemetry with the engine's meters.
/// Durations are in seconds, as OpenTelemetry's conventions have it.</summary>
public sealed class ServeMetrics
{
    public const string MeterName = "AkkaWal.Host";

    public ServeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName, "1.0");
        Prepared = meter.CreateCounter<long>("akkawal.host.prepared", "{transaction}", "Prepares acknowledged (durable).");
        Committed = meter.CreateCounter<long>("akkawal.host.committed", "{transaction}", "Commits acknowledged (durable).");
        Aborted = meter.CreateCounter<long>("akkawal.host.aborted", "{transaction}", "Aborts acknowledged (durable).");
        Rejected = meter.CreateCounter<long>("akkawal.host.rejected", "{request}", "Requests refused (nothing written), by reason.");
        Unanswered = meter.CreateCounter<long>("akkawal.host.unanswered", "{request}", "Requests the pipeline did not answer in time (503).");
        CommitDuration = meter.CreateHistogram<double>("akkawal.host.commit.duration", "s", "Commit request to durable acknowledgement.");
    }

    public Counter<long> Prepared { get; }
    public Counter<long> Committed { get; }
    public Counter<long> Aborted { get; }
    public Counter<long> Rejected { get; }
    public Counter<long> Unanswered { get; }
    public Histogram<double> CommitDuration { get; }
}
