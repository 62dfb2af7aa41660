using System.Diagnostics;
using AkkaWal.Storage;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>Timed restarts (ActorSystem start, log open, index load or rebuild, one recovery of an unused id): the median
/// one, and the range of the wall times.</summary>
/// <param name="Millis">Wall time of the median restart.</param>
/// <param name="CpuMillis">Process CPU time during it (all threads).</param>
/// <param name="AllocatedMegabytes">Bytes allocated during it (all threads), in MB.</param>
/// <param name="MinMillis">The fastest restart's wall time.</param>
/// <param name="MaxMillis">The slowest restart's wall time.</param>
public sealed record RestartTiming(double Millis, double CpuMillis, double AllocatedMegabytes, double MinMillis, double MaxMillis);

/// <summary>Restarts of one AkkaWal journal of <paramref name="Events"/> events.</summary>
/// <param name="WithCheckpoint">After a clean shutdown (which wrote the index checkpoint).</param>
/// <param name="AfterCrash">As a crash leaves it: <paramref name="EventsSinceCheckpoint"/> events were written after the
/// checkpoint on disk, so open loads it and reads those from the log.</param>
/// <param name="FullRebuild">With the checkpoint deleted: the index rebuilt from every record.</param>
/// <param name="EngineOpenMillis">The engine's own open of the same log (recovery scan, CRC of every record).</param>
public sealed record RestartResult(long Events, long LogBytes, RestartTiming WithCheckpoint, RestartTiming AfterCrash,
    long EventsSinceCheckpoint, RestartTiming FullRebuild, double EngineOpenMillis);

/// <summary>
/// How restart time grows with history: builds journals of the plan's sizes (100 events per actor, through the journal
/// actor) and times restarts with the index checkpoint, after a simulated crash N events past it, and with a full
/// rebuild, beside the engine's own open of the same log.
/// </summary>
public static class RestartScaling
{
    private const int EventsPerActor = 100;
    /// <summary>Each restart kind is timed this many times (its median and range reported): one start is too noisy on 2 cores.</summary>
    private const int Repeats = 5;

    /// <param name="logOpens">Log at INFO, so the journal's own account of each open (engine open, checkpoint load,
    /// tail read) is printed beside the timings.</param>
    public static async Task<RestartResult> RunAsync(long events, long eventsSinceCheckpoint, string directory, CancellationToken ct, bool logOpens = false)
    {
        var config = JournalUnderTest.Configure(JournalKind.AkkaWal, directory);
        if (logOpens) config = Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = INFO").WithFallback(config);
        await using (var session = await JournalSession.StartAsync(config, ct))
            await BigLogRecovery.WriteAsync(session.System, (int)(events / EventsPerActor), EventsPerActor, ct, "restart");
        // A clean shutdown rewrites the checkpoint to cover everything, so every timed start finds the same state.
        var withCheckpoint = await TimeStartsAsync(config, () => { }, ct);

        // A crash N events after the last checkpoint: write them, then put the checkpoint from before them back (before
        // every timed start, since each start's clean shutdown checkpoints the tail).
        var checkpoint = Path.Combine(directory, "wal", "index.checkpoint");
        var saved = await File.ReadAllBytesAsync(checkpoint, ct);
        await using (var session = await JournalSession.StartAsync(config, ct))
            await BigLogRecovery.WriteAsync(session.System, (int)(eventsSinceCheckpoint / EventsPerActor), EventsPerActor, ct, "tail");
        var afterCrash = await TimeStartsAsync(config, () => File.WriteAllBytes(checkpoint, saved), ct);

        var full = await TimeStartsAsync(config, () => File.Delete(checkpoint), ct);

        var opens = new List<double>();
        long durableEnd = 0;
        for (var i = 0; i < Repeats; i++)
        {
            var open = Stopwatch.StartNew();
            using var wal = WriteAheadLog.Open(new WalOptions { Directory = Path.Combine(directory, "wal") });
            opens.Add(open.Elapsed.TotalMilliseconds);
            durableEnd = wal.DurableEnd;
        }
        opens.Sort();
        return new RestartResult(events, durableEnd, withCheckpoint, afterCrash, eventsSinceCheckpoint, full, opens[opens.Count / 2]);
    }

    private static async Task<RestartTiming> TimeStartsAsync(Akka.Configuration.Config config, Action prepare, CancellationToken ct)
    {
        var timings = new List<(double Millis, double Cpu, double Allocated)>();
        for (var i = 0; i < Repeats; i++)
        {
            prepare();
            timings.Add(await TimeStartAsync(config, ct));
        }
        timings.Sort((a, b) => a.Millis.CompareTo(b.Millis));
        var median = timings[timings.Count / 2];
        return new RestartTiming(median.Millis, median.Cpu, median.Allocated, timings[0].Millis, timings[^1].Millis);
    }

    private static async Task<(double Millis, double Cpu, double Allocated)> TimeStartAsync(Akka.Configuration.Config config, CancellationToken ct)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await using var session = await JournalSession.StartAsync(config, ct);
        var millis = clock.Elapsed.TotalMilliseconds;
        process.Refresh();
        return (millis, (process.TotalProcessorTime - cpu).TotalMilliseconds, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6);
    }
}
