using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

public sealed class CompactionTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    [Fact]
    public async Task Compaction_under_load_loses_nothing_and_keeps_every_undecided_prepare()
    {
        var ledger = new Ledger();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(c => Task.Run(() => LedgerWorkload.Client(Coordinator, c, ledger, stop.Token, CancellationToken.None))).ToArray();

        // Compactions while commits keep flowing.
        long removedUnderLoad = 0;
        for (var round = 0; round < 5; round++)
        {
            var target = (round + 1) * 150;
            await LedgerWorkload.WaitFor(() => ledger.Committed.Count >= target);
            removedUnderLoad += (await AskAsync<CompactionReport>(CompactNow.Instance)).RecordsRemoved;
        }
        // Stop the clients the gentle way: each finishes its transaction, so nothing is in flight afterwards.
        stop.Cancel();
        await Task.WhenAll(clients);
        Assert.True(removedUnderLoad > 0, "compaction under load removed nothing");

        await LedgerWorkload.VerifyAgainstLedger(Coordinator, ledger);

        // A final compaction with nothing in flight leaves no journal record: only snapshots remain.
        var final = await AskAsync<CompactionReport>(CompactNow.Instance);
        Assert.True(final.PartitionsCompacted > 0);
        Assert.Equal(0, await TotalJournalEvents());

        var inDoubt = (await AskAsync<InDoubtTransactions>(GetInDoubt.Instance)).Transactions.Select(t => t.TxId).ToHashSet();
        Assert.NotEmpty(ledger.LeftUndecided);
        Assert.Equal(ledger.LeftUndecided.Keys.Order(), inDoubt.Order());

        // Recovery from the snapshots alone (no journal record left) rebuilds the same state.
        await Sys.Terminate();
        var (system, coordinator) = StartAgain();
        try
        {
            await LedgerWorkload.VerifyAgainstLedger(coordinator, ledger);
            var recoveredInDoubt = (await AskAsync<InDoubtTransactions>(coordinator, GetInDoubt.Instance)).Transactions.Select(t => t.TxId);
            Assert.Equal(inDoubt.Order(), recoveredInDoubt.Order());
            // Decided transactions are still known after their records were deleted.
            var committed = ledger.Committed.Keys.First();
            Assert.Equal(new AlreadyCommitted(committed), await AskAsync<ITransactionReply>(coordinator, new Commit(committed)));
            var aborted = ledger.Aborted.Keys.First();
            Assert.Equal(new AlreadyAborted(aborted), await AskAsync<ITransactionReply>(coordinator, new Abort(aborted)));
            // And an undecided one can still be committed.
            var pending = inDoubt.First();
            Assert.Equal(new Committed(pending), await AskAsync<ITransactionReply>(coordinator, new Commit(pending)));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Compaction_with_nothing_new_removes_nothing()
    {
        Assert.Equal(new CompactionReport(0, 0), await AskAsync<CompactionReport>(CompactNow.Instance));
        await AskAsync<Prepared>(new Prepare("one", Changes(("k", 1))));
        var first = await AskAsync<CompactionReport>(CompactNow.Instance);
        Assert.Equal(new CompactionReport(1, 1), first);
        Assert.Equal(new CompactionReport(0, 0), await AskAsync<CompactionReport>(CompactNow.Instance));
        Assert.Equal(["one"], (await AskAsync<InDoubtTransactions>(GetInDoubt.Instance)).Transactions.Select(t => t.TxId));
    }
}
