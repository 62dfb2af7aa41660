using System.Diagnostics.Metrics;
using AkkaWal.Storage;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>What the engine did during one AkkaWal cell: group commits (one write + one fdatasync each) and their cost.</summary>
public sealed record WalSyncSample(long Events, long Fsyncs, long Groups, long Records, double FsyncMillis)
{
    public double FsyncsPerEvent => Events == 0 ? double.NaN : (double)Fsyncs / Events;
    public double RecordsPerGroup => Groups == 0 ? double.NaN : (double)Records / Groups;
    public double MeanFsyncMillis => Fsyncs == 0 ? double.NaN : FsyncMillis / Fsyncs;
}

/// <summary>
/// Listens to the engine's "AkkaWal.Storage" meter (fdatasync count and duration, records per group commit), so a
/// report can show that every acknowledgement waited for an fdatasync and what one cost during the cell.
/// </summary>
public sealed class WalSyncProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private long _fsyncs, _groups, _records;
    private double _fsyncMillis;

    public WalSyncProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WalMetrics.MeterName &&
                instrument.Name is "akkawal.storage.fsyncs" or "akkawal.storage.fsync.duration" or "akkawal.storage.group.records")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "akkawal.storage.fsyncs") lock (_gate) _fsyncs += value;
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            // The histogram is in seconds (OpenTelemetry's convention); the report shows milliseconds.
            if (instrument.Name == "akkawal.storage.fsync.duration") lock (_gate) _fsyncMillis += value * 1000;
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == "akkawal.storage.group.records") lock (_gate) { _groups++; _records += value; }
        });
        _listener.Start();
    }

    /// <summary>Runs <paramref name="cell"/> and returns its result with what the engine did meanwhile.</summary>
    public async Task<(T Result, WalSyncSample Sample)> MeasureAsync<T>(long events, Func<Task<T>> cell)
    {
        var before = Totals();
        var result = await cell();
        var after = Totals();
        return (result, new WalSyncSample(events, after.Fsyncs - before.Fsyncs, after.Groups - before.Groups,
            after.Records - before.Records, after.Millis - before.Millis));
    }

    private (long Fsyncs, long Groups, long Records, double Millis) Totals()
    {
        lock (_gate) return (_fsyncs, _groups, _records, _fsyncMillis);
    }

    public void Dispose() => _listener.Dispose();
}
