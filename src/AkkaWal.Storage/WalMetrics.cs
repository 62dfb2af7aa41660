using System.Diagnostics.Metrics;

namespace AkkaWal.Storage;

/// <summary>The "AkkaWal.Storage" meter. Instruments are process-wide; every open log reports into them.</summary>
public static class WalMetrics
{
    /// <summary>The meter's name, to subscribe to (OpenTelemetry AddMeter, dotnet-counters).</summary>
    public const string MeterName = "AkkaWal.Storage";
    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly List<WeakReference<WriteAheadLog>> OpenLogs = [];

    internal static readonly Counter<long> Appends = Meter.CreateCounter<long>("akkawal.storage.appends", "{record}", "Records appended (acknowledged).");
    internal static readonly Counter<long> Bytes = Meter.CreateCounter<long>("akkawal.storage.bytes", "By", "Frame bytes written.");
    internal static readonly Counter<long> Fsyncs = Meter.CreateCounter<long>("akkawal.storage.fsyncs", "{call}", "fdatasync calls on segment files.");
    internal static readonly Histogram<double> FsyncLatency = Meter.CreateHistogram<double>("akkawal.storage.fsync.duration", "s", "Latency of one fdatasync.");
    internal static readonly Histogram<int> GroupSize = Meter.CreateHistogram<int>("akkawal.storage.group.records", "{record}", "Records written by one group commit (one write + one fdatasync).");
    internal static readonly Counter<long> PreallocationRetries = Meter.CreateCounter<long>("akkawal.storage.preallocation.retries", "{attempt}", "Failed attempts at creating the next segment that were retried.");
    internal static readonly Counter<long> CompactionRuns = Meter.CreateCounter<long>("akkawal.storage.compaction.runs", "{run}", "CompactAsync calls completed.");
    internal static readonly Counter<long> BytesReclaimed = Meter.CreateCounter<long>("akkawal.storage.compaction.reclaimed", "By", "Bytes turned into holes by compaction.");

    static WalMetrics()
    {
        Meter.CreateObservableGauge("akkawal.storage.segments", ObserveSegments, "{segment}", "Segment files of open logs.");
    }

    internal static void Register(WriteAheadLog log)
    {
        lock (OpenLogs)
        {
            OpenLogs.RemoveAll(w => !w.TryGetTarget(out _));
            OpenLogs.Add(new WeakReference<WriteAheadLog>(log));
        }
    }

    internal static void Unregister(WriteAheadLog log)
    {
        lock (OpenLogs) OpenLogs.RemoveAll(w => !w.TryGetTarget(out var l) || ReferenceEquals(l, log));
    }

    private static IEnumerable<Measurement<int>> ObserveSegments()
    {
        List<WriteAheadLog> logs = [];
        lock (OpenLogs)
            foreach (var w in OpenLogs)
                if (w.TryGetTarget(out var l)) logs.Add(l);
        foreach (var l in logs)
            yield return new Measurement<int>(l.SegmentCount, new KeyValuePair<string, object?>("wal.directory", l.Directory));
    }
}
