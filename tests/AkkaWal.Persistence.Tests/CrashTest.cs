using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>
/// kill -9: a child process (CrashHost `persistence`) hosts persistent actors using Persist, PersistAll, PersistAsync
/// and deletes; it is killed at random moments, restarted, and each restart's recovery is checked against the
/// acknowledgements the parent collected.
/// </summary>
public sealed class CrashTest(ITestOutputHelper output)
{
    private const int Kills = 22;
    private const int Actors = 4;

    [Fact]
    public async Task Every_acknowledged_event_replays_in_order_after_kill_minus_9_at_random_moments()
    {
        using var data = new TempDirectory();
        var dir = data.Path;
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}, dir {dir}");
        var random = new Random(seed);
        var ledger = new PersistenceLedger();
        var startsFromCheckpoint = 0;
        try
        {
            for (var round = 0; round <= Kills; round++)
            {
                ledger.NewRound();
                // The host checkpoints the index every 4 KiB of log, so kills land before, during and after checkpoint
                // writes; a restart with a checkpoint reads it and the log after it, and must still recover exactly.
                if (File.Exists(Path.Combine(dir, "journal", "index.checkpoint"))) startsFromCheckpoint++;
                var lines = new BlockingCollection<string>();
                using var child = Start(dir, seed + round * 100, lines);
                // Mostly kill while it writes after recovery; sometimes kill while it starts or recovers.
                var killEarly = round % 5 == 4; // fixed rounds, random moments
                if (killEarly)
                {
                    await Task.Delay(random.Next(50, 1500));
                }
                else
                {
                    await WaitForRecoveries(child, lines, ledger, round);
                    await Task.Delay(random.Next(50, 700));
                }
                child.Kill(); // SIGKILL
                await child.WaitForExitAsync();
                lines.CompleteAdding(); // every line was delivered: the wait includes the end of the output
                foreach (var line in lines.GetConsumingEnumerable()) ApplyLine(ledger, line, round);
            }
        }
        finally
        {
            output.WriteLine($"recoveries checked {ledger.Recoveries}, acknowledged events {ledger.TotalAcks}, " +
                             $"batches {ledger.Batches}, confirmed deletes {ledger.ConfirmedDeletes}, starts from a checkpoint {startsFromCheckpoint}");
        }
        Assert.True(ledger.Recoveries >= Actors * Kills / 2, $"only {ledger.Recoveries} recoveries were checked");
        Assert.True(ledger.TotalAcks > 0 && ledger.Batches > 0 && ledger.ConfirmedDeletes > 0, "the workload did not exercise persists, batches and deletes");
        Assert.True(startsFromCheckpoint >= Kills / 2, $"only {startsFromCheckpoint} restarts found an index checkpoint");
    }

    /// <summary>Feeds lines to the ledger until every actor reported its recovery (checked as it arrives).</summary>
    private static async Task WaitForRecoveries(ChildProcess child, BlockingCollection<string> lines, PersistenceLedger ledger, int round)
    {
        var done = 0;
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (done < Actors)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"round {round}: only {done} of {Actors} actors recovered within a minute");
            if (child.HasExited && lines.Count == 0) throw new InvalidOperationException($"round {round}: the child exited before recovering: {child.Error}");
            if (!lines.TryTake(out var line, 100)) { await Task.Yield(); continue; }
            ApplyLine(ledger, line, round);
            if (line.StartsWith("RECDONE ", StringComparison.Ordinal)) done++;
        }
    }

    private static void ApplyLine(PersistenceLedger ledger, string line, int round)
    {
        try { ledger.Apply(line); }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"round {round}: {e.Message}", e); }
    }

    private ChildProcess Start(string dir, int seed, BlockingCollection<string> lines) =>
        ChildProcess.CrashHost(new ChildProcessOptions
        {
            OnOutputLine = line =>
            {
                if (line.Contains("index checkpoint", StringComparison.Ordinal)) output.WriteLine("child: " + line);
                lines.Add(line);
                return false;
            },
            OnErrorLine = line => output.WriteLine("child stderr: " + line),
        }, "persistence", dir, Actors.ToString(), seed.ToString());
}
