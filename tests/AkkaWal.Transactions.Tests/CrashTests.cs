using System.Diagnostics;
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
    private readonly string _dir = Directory.CreateTempSubdirectory("akkawal-tx-crash-").FullName;

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

            var system = ActorSystem.Create("verify", TransactionsWorkload.Config(_dir));
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
        var host = CrashHostLocator.CrashHostPath();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "exec", host, "transactions", _dir, tag, Clients.ToString() })
            start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        var commits = 0;
        var killed = false;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            // Only complete lines count: the kill may cut the last one.
            if (line.Length < 4 || !line.EndsWith(" .") || line[1] != ' ')
                continue;
            var id = line[2..^2];
            switch (line[0])
            {
                case 'T': ledger.Attempted[id] = true; break;
                case 'P': ledger.Prepared[id] = true; break;
                case 'U': ledger.LeftUndecided[id] = true; break;
                case 'A': ledger.Aborted[id] = true; break;
                case 'C': ledger.Committed[id] = true; commits++; break;
            }
            if (!killed && (commits >= commitsBeforeKill || DateTime.UtcNow > deadline))
            {
                child.Kill(entireProcessTree: true); // SIGKILL on Linux: no shutdown hook runs
                killed = true;
            }
        }
        await child.WaitForExitAsync();
        if (!killed)
            throw new Xunit.Sdk.XunitException($"the child exited by itself (code {child.ExitCode}): {await stderr}");
        Assert.True(commits > 0, "the child acknowledged no commit before the kill: " + await stderr);
        return commits;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
