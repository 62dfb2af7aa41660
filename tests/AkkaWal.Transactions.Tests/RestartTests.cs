using Akka.Actor;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>The ActorSystem stops in the middle of a workload; a new one on the same stores must hold every
/// acknowledged outcome and no half-applied transaction.</summary>
public sealed class RestartTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    [Fact]
    public async Task Restart_in_the_middle_of_a_workload_keeps_every_acknowledged_outcome()
    {
        var ledger = new Ledger();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 16).Select(c => Task.Run(() => Client(Coordinator, c, ledger, stop.Token, stop.Token))).ToArray();

        await WaitFor(() => ledger.Committed.Count >= 300);
        stop.Cancel(); // clients stop waiting; requests already sent are still in flight
        await Sys.Terminate(); // abrupt: requests in flight get no answer
        await Task.WhenAll(clients);

        var (system, coordinator) = StartAgain();
        try
        {
            await VerifyAgainstLedger(coordinator, ledger);
            // The restarted service keeps working and remembers decisions.
            var anyCommitted = ledger.Committed.Keys.First();
            Assert.Equal(new AlreadyCommitted(anyCommitted), await AskAsync<ITransactionReply>(coordinator, new Commit(anyCommitted)));
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>Prepares txs that write two keys; commits most, aborts every fifth, leaves every seventh undecided.
    /// <paramref name="stop"/> ends the loop after the current transaction; <paramref name="abandon"/> also stops waiting
    /// for answers to requests already sent.</summary>
    public static async Task Client(IActorRef coordinator, int client, Ledger ledger, CancellationToken stop, CancellationToken abandon)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var id = $"c{client}-{n}";
            ledger.Attempted[id] = true;
            try
            {
                if (await coordinator.Ask<ITransactionReply>(new Prepare(id, Changes(($"{id}:a", n), ($"{id}:b", n))), Timeout, abandon) is not Prepared)
                    throw new InvalidOperationException("prepare refused: " + id);
                ledger.Prepared[id] = true;
                if (n % 7 == 3)
                {
                    ledger.LeftUndecided[id] = true;
                    continue;
                }
                if (n % 5 == 4)
                {
                    if (await coordinator.Ask<ITransactionReply>(new Abort(id), Timeout, abandon) is Aborted)
                        ledger.Aborted[id] = true;
                }
                else if (await coordinator.Ask<ITransactionReply>(new Commit(id), Timeout, abandon) is Committed)
                {
                    ledger.Committed[id] = true;
                }
            }
            catch (Exception) when (abandon.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Acknowledged commits applied, acknowledged prepares committed or in doubt, acknowledged aborts aborted,
    /// and every attempted transaction either fully visible (committed) or not at all.</summary>
    public static async Task VerifyAgainstLedger(IActorRef coordinator, Ledger ledger)
    {
        foreach (var id in ledger.Attempted.Keys)
        {
            var status = (await AskAsync<TransactionInfo>(coordinator, new GetTransaction(id))).Status;
            if (ledger.Committed.ContainsKey(id))
                Assert.True(status == TransactionStatus.Committed, $"acknowledged commit of {id} is {status}");
            else if (ledger.Aborted.ContainsKey(id))
                Assert.True(status == TransactionStatus.Aborted, $"acknowledged abort of {id} is {status}");
            else if (ledger.Prepared.ContainsKey(id))
                Assert.True(status != TransactionStatus.Unknown, $"acknowledged prepare of {id} is lost");

            var read = await AskAsync<ReadKeysResult>(coordinator, new ReadKeys([$"{id}:a", $"{id}:b"]));
            var expectedKeys = status == TransactionStatus.Committed ? 2 : 0;
            Assert.True(read.Values.Count == expectedKeys, $"{id} is {status} but {read.Values.Count} of its 2 keys are visible");
        }
        var inDoubt = (await AskAsync<InDoubtTransactions>(coordinator, GetInDoubt.Instance)).Transactions.Select(t => t.TxId).ToHashSet();
        foreach (var id in ledger.Prepared.Keys.Where(id => !ledger.Committed.ContainsKey(id) && !ledger.Aborted.ContainsKey(id)))
        {
            var status = (await AskAsync<TransactionInfo>(coordinator, new GetTransaction(id))).Status;
            Assert.True(status != TransactionStatus.Prepared || inDoubt.Contains(id), $"{id} is prepared but not listed in doubt");
        }
    }

    public static async Task WaitFor(Func<bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not reached in " + seconds + " s");
            await Task.Delay(20);
        }
    }
}
