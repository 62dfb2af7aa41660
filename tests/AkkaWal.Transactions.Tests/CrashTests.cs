using Akka.Actor;
using AkkaWal.CrashHost;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>kill -9 of a child process running the pipeline under concurrent clients, 20 times on one data directory.
/// After each kill the pipeline is recovered in this process and checked against everything the child acknowledged.</summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 20;
    private const int Clients = 16;
    private readonly TempDirectory _dir = new("akkawal-tx-crash-");

    [RequiresWalJournalFact]
    public async Task Kill_9_under_concurrent_clients_loses_no_acknowledged_outcome()
    {
        var ledger = new Ledger();
        var random = new Random(4);
        for (var run = 0; run < Kills; run++)
        {
            var commitsBeforeKill = random.Next(20, 400);
            var seen = await RunAndKill($"r{run}", ledger, commitsBeforeKill);
            output.WriteLine($"run {run}: killed after {seen} acknowledged commits; ledger {ledger.Committed.Count} committed, " +
                             $"{ledger.Aborted.Count} aborted, {ledger.LeftUndecided.Count} undecided");

            var system = ActorSystem.Create("verify", TransactionsWorkload.Config(_dir.Path));
            try
            {
                await LedgerWorkload.VerifyAgainstLedger(system.StartTransactions(), ledger);
            }
            finally
            {
                await system.Terminate();
            }
        }
    }

    private async Task<int> RunAndKill(string tag, Ledger ledger, int commitsBeforeKill)
    {
        var commits = 0;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        using var child = ChildProcess.CrashHost(new ChildProcessOptions
        {
            OnOutputLine = line =>
            {
                // Only complete lines count: the kill may cut the last one.
                if (line.Length < 4 || !line.EndsWith(" .") || line[1] != ' ')
                    return false;
                var id = line[2..^2];
                switch (line[0])
                {
                    case 'T': ledger.Attempted[id] = true; break;
                    case 'P': ledger.Prepared[id] = true; break;
                    case 'U': ledger.LeftUndecided[id] = true; break;
                    case 'A': ledger.Aborted[id] = true; break;
                    case 'C': ledger.Committed[id] = true; commits++; break;
                }
                return commits >= commitsBeforeKill || DateTime.UtcNow > deadline;
            },
        }, "transactions", _dir.Path, tag, Clients.ToString());
        var exitCode = await child.WaitForExitAsync();
        if (!child.Killed)
            throw new Xunit.Sdk.XunitException($"the child exited by itself (code {exitCode}): {child.Error}");
        Assert.True(commits > 0, "the child acknowledged no commit before the kill: " + child.Error);
        return commits;
    }

    public void Dispose() => _dir.Dispose();
}
