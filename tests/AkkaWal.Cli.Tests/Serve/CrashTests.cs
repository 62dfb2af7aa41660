using AkkaWal.Cli.Serve;
using AkkaWal.Storage;
using Xunit.Abstractions;

namespace AkkaWal.Cli.Tests.Serve;

/// <summary>
/// `akkawal serve` as a real child process under a bounded HTTP load on loopback: kill -9 at a moment when commits are
/// flowing, restart on the same data, and every 2xx-acknowledged commit is there; SIGTERM drains and closes the WAL so
/// the next open needs no repair.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] ServeArgs = ["--set", "akkawal.transactions.partitions=4"];

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Kill_9_under_load_loses_no_acknowledged_commit_across_three_crashes()
    {
        using var data = new TempDirectory();
        var ledgers = new List<CommitLoad>();
        for (var round = 0; round < 3; round++)
        {
            using var serve = await ServeProcess.StartAsync(data.Path, ServeArgs, StartTimeout);
            using var client = new HttpClient { BaseAddress = serve.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            // Everything acknowledged before this crash must still be there after the previous ones.
            foreach (var earlier in ledgers)
                Assert.Empty(await earlier.VerifyAsync(client));

            var load = new CommitLoad(client, $"r{round}");
            using var stop = new CancellationTokenSource();
            var running = load.RunAsync(clients: 8, perClient: 400, stop.Token);
            // Kill while commits are in flight: after a number of acknowledgements that differs per round.
            await WaitUntilAsync(() => load.AcknowledgedCommits.Count >= 40 + 60 * round || running.IsCompleted, TimeSpan.FromSeconds(60));
            await serve.KillAsync();
            stop.Cancel();
            await running;
            output.WriteLine($"round {round}: {load.AcknowledgedCommits.Count} commits and {load.AcknowledgedPrepares.Count} prepares acknowledged before kill -9");
            Assert.True(load.AcknowledgedCommits.Count >= 40);
            ledgers.Add(load);
        }

        using (var serve = await ServeProcess.StartAsync(data.Path, ServeArgs, StartTimeout))
        {
            using var client = new HttpClient { BaseAddress = serve.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            foreach (var ledger in ledgers)
                Assert.Empty(await ledger.VerifyAsync(client));
        }
    }

    [Fact]
    public async Task Sigterm_under_load_drains_closes_the_wal_cleanly_and_keeps_every_acknowledged_commit()
    {
        using var data = new TempDirectory();
        CommitLoad load;
        using (var serve = await ServeProcess.StartAsync(data.Path, ServeArgs, StartTimeout))
        {
            using var client = new HttpClient { BaseAddress = serve.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            load = new CommitLoad(client, "term");
            using var stop = new CancellationTokenSource();
            var running = load.RunAsync(clients: 8, perClient: 400, stop.Token);
            await WaitUntilAsync(() => load.AcknowledgedCommits.Count >= 50 || running.IsCompleted, TimeSpan.FromSeconds(60));

            var exitCode = await serve.TerminateAsync(TimeSpan.FromSeconds(60));
            stop.Cancel();
            await running;
            output.WriteLine($"SIGTERM exit code {exitCode}; {load.AcknowledgedCommits.Count} commits acknowledged");
            Assert.Contains(exitCode, new[] { 0, 143 });
        }

        await using (var wal = WriteAheadLog.Open(new WalOptions { Directory = Path.Combine(data.Path, "journal") }))
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());

        using (var serve = await ServeProcess.StartAsync(data.Path, ServeArgs, StartTimeout))
        {
            using var client = new HttpClient { BaseAddress = serve.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            Assert.Empty(await load.VerifyAsync(client));
        }
    }
}
