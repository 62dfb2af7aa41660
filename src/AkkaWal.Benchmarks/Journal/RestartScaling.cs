using System.Diagnostics;
using AkkaWal.Storage;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>One timed restart: ActorSystem start, log open, index load or rebuild, one recovery of an unused id.</summary>
/// <param name="Millis">Wall time.</param>
/// <param name="CpuMillis">Process CPU time during it (all threads).</param>
/// <param name="AllocatedMegabytes">Bytes allocated during it (all threads), in MB.</param>
public sealed record RestartTiming(double Millis, double CpuMillis, double AllocatedMegabytes);

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

    /// <param name="logOpens">Log at INFO, so the journal's own account of each open (engine open, checkpoint load,
    /// tail read) is printed beside the timings.</param>
    public static async Task<RestartResult> RunAsync(long events, long eventsSinceCheckpoint, string directory, CancellationToken ct, bool logOpens = false)
    {
        var config = JournalUnderTest.Configure(JournalKind.AkkaWal, directory);
        if (logOpens) config = Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = INFO").WithFallback(config);
        await using (var session = await JournalSession.StartAsync(config, ct))
            await BigLogRecovery.WriteAsync(session.System, (int)(events / EventsPerActor), EventsPerActor, ct, "restart");
        var withCheckpoint = await TimeStartAsync(config, ct);

        // A crash N events after the last checkpoint: write them, then put the checkpoint from before them back.
        var checkpoint = Path.Combine(directory, "wal", "index.checkpoint");
        var saved = await File.ReadAllBytesAsync(checkpoint, ct);
        await using (var session = await JournalSession.StartAsync(config, ct))
            await BigLogRecovery.WriteAsync(session.System, (int)(eventsSinceCheckpoint / EventsPerActor), EventsPerActor, ct, "tail");
        await File.WriteAllBytesAsync(checkpoint, saved, ct);
        var afterCrash = await TimeStartAsync(config, ct);

        File.Delete(checkpoint);
        var full = await TimeStartAsync(config, ct);

        var open = Stopwatch.StartNew();
        using var wal = WriteAheadLog.Open(new WalOptions { Directory = Path.Combine(directory, "wal") });
        return new RestartResult(events, wal.DurableEnd, withCheckpoint, afterCrash, eventsSinceCheckpoint, full, open.Elapsed.TotalMilliseconds);
    }

    private static async Task<RestartTiming> TimeStartAsync(Akka.Configuration.Config config, CancellationToken ct)
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
        return new RestartTiming(millis, (process.TotalProcessorTime - cpu).TotalMilliseconds,
            (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6);
    }
}
