using Akka.Actor;
using AkkaWal.CrashHost;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>
/// Multi-partition atomicity under kill -9 at each step of the commit protocol, and a bank workload under repeated
/// kill -9: real child processes on real files, checked in this process after each kill.
/// </summary>
public sealed class ProtocolCrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new("akkawal-tx-protocol-");

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs the crash host with <paramref name="args"/>, hands each complete line to <paramref name="onLine"/>,
    /// which returns true to have the child killed (SIGKILL), as does <paramref name="limit"/> passing; returns the
    /// child's exit code, whether it was killed, and its stderr.</summary>
    private static async Task<(int ExitCode, bool Killed, string Stderr)> RunChild(Func<string, bool> onLine, TimeSpan limit, params string[] args)
    {
        var deadline = DateTime.UtcNow + limit;
        using var child = ChildProcess.CrashHost(new ChildProcessOptions
        {
            // Only complete lines count: the kill may cut the last one. Lines still in the pipe after the kill are facts
            // too (a transfer prepared just before it may be committed).
            OnOutputLine = line => line.EndsWith(" .") && onLine(line[..^2]) || DateTime.UtcNow > deadline,
        }, args);
        var exitCode = await child.WaitForExitAsync();
        return (exitCode, child.Killed, child.Error);
    }

    [RequiresWalJournalTheory]
    [InlineData(CrashPoint.ParticipantsPrepared)]
    [InlineData(CrashPoint.DecisionWritten)]
    [InlineData(CrashPoint.PartlyApplied)]
    public async Task A_kill_at_each_step_of_the_commit_protocol_leaves_every_transaction_whole(string step)
    {
        var ledger = new Ledger();
        // Each transaction writes {id}:a, {id}:b and {id}:c, which mostly live in different partitions; the child kills itself
        // when the first multi-partition commit reaches the step.
        var (exitCode, killed, stderr) = await RunChild(line =>
        {
            var id = line.Length > 2 ? line[2..] : "";
            switch (line[0])
            {
                case 'T': ledger.Attempted[id] = true; break;
                case 'P': ledger.Prepared[id] = true; break;
                case 'U': ledger.LeftUndecided[id] = true; break;
                case 'A': ledger.Aborted[id] = true; break;
                case 'C': ledger.Committed[id] = true; break;
            }
            return false;
        }, TimeSpan.FromSeconds(90), "transactions", _dir.Path, "s", "4", step);
        Assert.False(killed, "the child did not reach the step in time: " + stderr);
        Assert.Contains("crash-at " + step, stderr);
        Assert.Equal(137, exitCode); // SIGKILL
        output.WriteLine($"{step}: {ledger.Attempted.Count} attempted, {ledger.Committed.Count} committed before the kill");

        var system = ActorSystem.Create("verify", TransactionsWorkload.Config(_dir.Path));
        try
        {
            var coordinator = system.StartTransactions();
            await LedgerWorkload.VerifyAgainstLedger(coordinator, ledger);
            // Participants in doubt are resolved from the home's decision: none stays in doubt about a decided transaction.
            await LedgerWorkload.WaitFor(() =>
            {
                var inDoubt = coordinator.Ask<InDoubtTransactions>(GetInDoubt.Instance, Timeout).Result.Transactions;
                return inDoubt.All(t => coordinator.Ask<TransactionInfo>(new GetTransaction(t.TxId), Timeout).Result.Status == TransactionStatus.Prepared);
            });
            await LedgerWorkload.VerifyAgainstLedger(coordinator, ledger);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [RequiresWalJournalFact]
    public async Task Bank_transfers_under_repeated_kill_9_keep_the_total_and_apply_each_acknowledged_transfer_once()
    {
        const int accounts = 16;
        var transfers = new System.Collections.Concurrent.ConcurrentDictionary<string, (string From, string To, int Amount)>();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var random = new Random(9);
        for (var run = 0; run < 3; run++)
        {
            var commitsBeforeKill = random.Next(30, 120);
            var commits = 0;
            var (_, killed, stderr) = await RunChild(line =>
            {
                var parts = line.Split(' ');
                if (parts[0] == "P")
                    transfers[parts[1]] = (parts[2], parts[3], int.Parse(parts[4]));
                else if (parts[0] == "C")
                {
                    acknowledged[parts[1]] = true;
                    commits++;
                }
                return commits >= commitsBeforeKill;
            }, TimeSpan.FromMinutes(2), "bank", _dir.Path, "r" + run, "8", accounts.ToString());
            Assert.True(killed, "the child exited by itself: " + stderr);
            output.WriteLine($"run {run}: killed after {commits} acknowledged transfers");

            var system = ActorSystem.Create("verify", BankWorkload.Config(_dir.Path));
            try
            {
                await VerifyBank(system.StartTransactions(), accounts, transfers, acknowledged);
            }
            finally
            {
                await system.Terminate();
            }
        }
    }

    private static async Task VerifyBank(IActorRef coordinator, int accounts,
        IReadOnlyDictionary<string, (string From, string To, int Amount)> transfers, IReadOnlyDictionary<string, bool> acknowledged)
    {
        var names = Enumerable.Range(0, accounts).Select(BankWorkload.Account).ToArray();
        var read = await coordinator.Ask<ReadKeysResult>(new ReadKeys(names), Timeout);
        Assert.Equal(accounts, read.Values.Count);
        Assert.Equal(accounts * BankWorkload.InitialBalance, read.Values.Values.Sum(v => v.GetInt32()));

        // Replaying exactly the committed transfers from the opening balances gives every balance and every version.
        var balance = names.ToDictionary(n => n, _ => BankWorkload.InitialBalance);
        var changes = names.ToDictionary(n => n, _ => 1L); // the opening transaction is version 1
        foreach (var (id, transfer) in transfers)
        {
            var status = (await coordinator.Ask<TransactionInfo>(new GetTransaction(id), Timeout)).Status;
            if (acknowledged.ContainsKey(id))
                Assert.True(status == TransactionStatus.Committed, $"acknowledged transfer {id} is {status}");
            if (status != TransactionStatus.Committed)
                continue;
            balance[transfer.From] -= transfer.Amount;
            balance[transfer.To] += transfer.Amount;
            changes[transfer.From]++;
            changes[transfer.To]++;
        }
        foreach (var name in names)
        {
            Assert.True(balance[name] == read.Values[name].GetInt32(), $"{name}: the committed transfers give {balance[name]}, it holds {read.Values[name]}");
            Assert.True(changes[name] == read.Versions![name], $"{name}: {changes[name]} committed changes, version {read.Versions[name]}");
        }
    }

    public void Dispose() => _dir.Dispose();
}
