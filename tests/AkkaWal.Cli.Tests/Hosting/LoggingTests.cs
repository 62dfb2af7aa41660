using System.Diagnostics.Metrics;
using Akka.Event;
using LogEvent = Serilog.Events.LogEvent;
using AkkaWal.Cli.Hosting.Logging;
using AkkaWal.Hosting.Tests;
using AkkaWal.Persistence.Hosting;
using Serilog.Events;

namespace AkkaWal.Cli.Tests.Hosting;

public sealed class LoggingTests
{
    /// <summary>A logger of this test only: other tests' hosts listen to the same meter name and log elsewhere.</summary>
    private sealed class ListSink : Serilog.Core.ILogEventSink
    {
        private readonly List<LogEvent> _events = [];

        public ListSink() => Logger = new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

        public Serilog.ILogger Logger { get; }

        public void Emit(LogEvent logEvent)
        {
            lock (_events) _events.Add(logEvent);
        }

        public IReadOnlyList<LogEvent> Where(Func<LogEvent, bool> predicate)
        {
            lock (_events) return _events.Where(predicate).ToArray();
        }
    }

    [Fact]
    public async Task Akka_log_events_arrive_in_serilog_with_their_source()
    {
        TestLog.Install(); // before the host starts: Akka.Logger.Serilog writes to the static logger it sets
        await using var host = await AkkaHost.StartAsync(b => b.WithAkkaWalSerilog());
        var marker = Guid.NewGuid().ToString("N");

        host.System.Log.Warning("probe {0}", marker);

        var e = await TestLog.WaitForAsync(e => TestLog.Render(e).Contains(marker));
        Assert.Equal(LogEventLevel.Warning, e.Level);
        Assert.True(e.Properties.ContainsKey("LogSource"));
    }

    private static bool Near(double a, double b) => Math.Abs(a - b) < 1e-6;

    [Fact]
    public void A_slow_fsync_from_the_storage_meter_is_a_structured_warning_and_fast_ones_are_not_logged()
    {
        var sink = new ListSink();
        using var logger = new StorageEventLogger(TimeSpan.FromMilliseconds(100), new Serilog.Extensions.Logging.SerilogLoggerFactory(sink.Logger));
        using var meter = new Meter(StorageEventLogger.StorageMeterName);
        var fsync = meter.CreateHistogram<double>(StorageEventLogger.FsyncDurationInstrument, "s");
        const double slow = 4321.25; // unique, so events from other tests' real logs cannot match
        const double fast = 12.5;

        fsync.Record(fast / 1000); // the engine records seconds; the event says milliseconds
        fsync.Record(slow / 1000);

        var events = sink.Where(e => e.Properties.TryGetValue("FsyncMs", out var v) && v is ScalarValue { Value: double d } && (Near(d, slow) || Near(d, fast)));
        var e = Assert.Single(events);
        Assert.Equal(LogEventLevel.Warning, e.Level);
        Assert.True(Near((double)((ScalarValue)e.Properties["FsyncMs"]).Value!, slow));
        Assert.Equal(100.0, ((ScalarValue)e.Properties["ThresholdMs"]).Value);
    }

    [Fact]
    public void A_burst_of_slow_fsyncs_is_capped_and_the_rest_is_counted()
    {
        var sink = new ListSink();
        using var logger = new StorageEventLogger(TimeSpan.FromSeconds(5), new Serilog.Extensions.Logging.SerilogLoggerFactory(sink.Logger)); // far above real fsyncs of other tests
        using var meter = new Meter(StorageEventLogger.StorageMeterName);
        var fsync = meter.CreateHistogram<double>(StorageEventLogger.FsyncDurationInstrument, "s");
        const double value = 9876.5;

        for (var i = 0; i < 200; i++)
            fsync.Record(value / 1000);

        var logged = sink.Where(e => e.Properties.TryGetValue("FsyncMs", out var v) && v is ScalarValue { Value: double d } && Near(d, value)).Count;
        Assert.InRange(logged, 1, 2 * StorageEventLogger.MaxSlowFsyncEventsPerSecond); // at most two one-second windows
        Assert.True(logged + logger.Suppressed >= 200 - StorageEventLogger.MaxSlowFsyncEventsPerSecond);
    }

    [Fact]
    public void Compaction_reclaimed_bytes_are_a_structured_event()
    {
        var sink = new ListSink();
        using var logger = new StorageEventLogger(TimeSpan.FromMilliseconds(100), new Serilog.Extensions.Logging.SerilogLoggerFactory(sink.Logger));
        using var meter = new Meter(StorageEventLogger.StorageMeterName);
        var reclaimed = meter.CreateCounter<long>(StorageEventLogger.ReclaimedInstrument, "By");

        reclaimed.Add(987_654_321);

        Assert.Single(sink.Where(e => e.Properties.TryGetValue("ReclaimedBytes", out var v) && v is ScalarValue { Value: 987_654_321L }));
    }
}
