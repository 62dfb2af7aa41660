using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace AkkaWal.Persistence.Hosting;

/// <summary>
/// Turns the storage engine's measurements into structured log events (Microsoft.Extensions.Logging, so they reach
/// whatever provider the host uses) without the engine knowing about logging:
/// it listens to the <c>AkkaWal.Storage</c> meter and logs each fsync slower than the threshold (at most
/// <see cref="MaxSlowFsyncEventsPerSecond"/> a second, the rest counted in the next event) and each compaction's
/// reclaimed bytes.
/// </summary>
public sealed class StorageEventLogger : IDisposable
{
    /// <summary>The engine's meter.</summary>
    public const string StorageMeterName = "AkkaWal.Storage";
    /// <summary>The fsync duration histogram (seconds).</summary>
    public const string FsyncDurationInstrument = "akkawal.storage.fsync.duration";
    /// <summary>The compaction's reclaimed-bytes counter.</summary>
    public const string ReclaimedInstrument = "akkawal.storage.compaction.reclaimed";
    /// <summary>Cap on slow-fsync events a second; the rest are counted in the next event.</summary>
    public const int MaxSlowFsyncEventsPerSecond = 10;

    private readonly MeterListener _listener = new();
    private readonly ILogger _log;
    private readonly double _thresholdMs;
    private readonly object _gate = new();
    private long _windowStart;
    private int _inWindow;
    private long _suppressed;

    /// <summary>Starts listening; events go to <paramref name="loggerFactory"/> under the category <c>AkkaWal.Storage</c>.</summary>
    public StorageEventLogger(TimeSpan slowFsyncThreshold, ILoggerFactory loggerFactory)
    {
        _log = loggerFactory.CreateLogger(StorageMeterName);
        _thresholdMs = slowFsyncThreshold.TotalMilliseconds;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StorageMeterName && instrument.Name is FsyncDurationInstrument or ReclaimedInstrument)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == FsyncDurationInstrument && value * 1000 > _thresholdMs) OnSlowFsync(value * 1000); // recorded in seconds
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == ReclaimedInstrument && value > 0)
                _log.LogInformation("Compaction reclaimed {ReclaimedBytes} bytes of the log", value);
        });
        _listener.Start();
    }

    /// <summary>Slow fsyncs seen but not logged because of the rate cap (a test and ops aid).</summary>
    public long Suppressed => Interlocked.Read(ref _suppressed);

    private void OnSlowFsync(double ms)
    {
        long suppressed;
        lock (_gate)
        {
            var now = Environment.TickCount64;
            if (now - _windowStart >= 1000)
            {
                _windowStart = now;
                _inWindow = 0;
            }
            if (++_inWindow > MaxSlowFsyncEventsPerSecond)
            {
                _suppressed++;
                return;
            }
            suppressed = _suppressed;
            _suppressed = 0;
        }
        _log.LogWarning("Slow fsync: {FsyncMs:F1} ms, threshold {ThresholdMs} ms ({SuppressedSlowFsyncs} more slow fsyncs not logged since the last event)",
            ms, _thresholdMs, suppressed);
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _listener.Dispose();
}
