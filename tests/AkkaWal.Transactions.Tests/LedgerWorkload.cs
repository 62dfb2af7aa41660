using Akka.Actor;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Tests;

/// <summary>The client workload of the restart and compaction scenarios and the check of a service against a <see cref="Ledger"/>.</summary>
public static class LedgerWorkload
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static Task<T> AskAsync<T>(IActorRef coordinator, object message) => coordinator.Ask<T>(message, Timeout);

    private static Dictionary<string, System.Text.Json.JsonElement> Changes(params (string Key, object? Value)[] changes) =>
        changes.ToDictionary(c => c.Key, c => System.Text.Json.JsonSerializer.SerializeToElement(c.Value));

    /// <summary>Prepares txs that write three keys (mostly in different partitions); commits most, aborts every fifth, leaves every seventh undecided.
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
                if (await coordinator.Ask<ITransactionReply>(new Prepare(id, Changes(($"{id}:a", n), ($"{id}:b", n), ($"{id}:c", n))), Timeout, abandon) is not Prepared)
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

            var read = await AskAsync<ReadKeysResult>(coordinator, new ReadKeys([$"{id}:a", $"{id}:b", $"{id}:c"]));
            var expectedKeys = status == TransactionStatus.Committed ? 3 : 0;
            Assert.True(read.Values.Count == expectedKeys, $"{id} is {status} but {read.Values.Count} of its 3 keys are visible");
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
