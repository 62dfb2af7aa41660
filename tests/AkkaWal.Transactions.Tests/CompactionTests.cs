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

        // A final compaction with nothing in flight keeps only the records after the previous snapshot.
        var before = await TotalJournalEvents();
        var final = await AskAsync<CompactionReport>(CompactNow.Instance);
        Assert.True(final.PartitionsCompacted > 0);
        Assert.True(await TotalJournalEvents() < before);

        var inDoubt = (await AskAsync<InDoubtTransactions>(GetInDoubt.Instance)).Transactions.Select(t => t.TxId).ToHashSet();
        Assert.NotEmpty(ledger.LeftUndecided);
        Assert.Equal(ledger.LeftUndecided.Keys.Order(), inDoubt.Order());

        // Recovery from the newest snapshots and the records after them rebuilds the same state.
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
    public async Task Compaction_keeps_the_previous_snapshot_and_its_records_and_removes_what_it_covers()
    {
        Assert.Equal(new CompactionReport(0, 0), await AskAsync<CompactionReport>(CompactNow.Instance));
        await AskAsync<Prepared>(new Prepare("one", Changes(("k", 1))));
        // First snapshot: nothing older to delete.
        Assert.Equal(new CompactionReport(1, 0), await AskAsync<CompactionReport>(CompactNow.Instance));
        Assert.Equal(new CompactionReport(0, 0), await AskAsync<CompactionReport>(CompactNow.Instance));
        await AskAsync<Committed>(new Commit("one"));
        // Second snapshot: the record the first one covers goes; the first snapshot and the record after it stay.
        Assert.Equal(new CompactionReport(1, 1), await AskAsync<CompactionReport>(CompactNow.Instance));
        Assert.Single(await JournalEvents(PartitionOf("k")));
        Assert.Equal(1, (await AskAsync<ReadResult>(new Read("k"))).Version);
    }
}

/// <summary>One damaged snapshot file must not lose a partition: the previous snapshot and the records after it are kept.</summary>
public sealed class DamagedSnapshotTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    [RequiresWalJournalFact]
    public async Task A_damaged_newest_snapshot_falls_back_to_the_previous_one_and_its_records()
    {
        await AskAsync<Prepared>(new Prepare("first", Changes(("k", 1))));
        await AskAsync<Committed>(new Commit("first"));
        await AskAsync<CompactionReport>(CompactNow.Instance);
        await AskAsync<Prepared>(new Prepare("second", Changes(("k", 2), ("pending-key", 0))));
        await AskAsync<Committed>(new Commit("second"));
        await AskAsync<Prepared>(new Prepare("undecided", Changes(("k2", 5))));
        await AskAsync<CompactionReport>(CompactNow.Instance);
        await Sys.Terminate();

        // Damage the newest snapshot file of the partitions that have two.
        var damaged = 0;
        foreach (var group in Directory.GetFiles(Path.Combine(Data.Directory, "snapshots"), "*", SearchOption.AllDirectories)
                     .GroupBy(f => Path.GetFileName(f).Split('.')[0]).Where(g => g.Count() >= 2))
        {
            var newest = group.OrderBy(f => f, StringComparer.Ordinal).Last();
            var bytes = File.ReadAllBytes(newest);
            for (var i = bytes.Length / 2; i < bytes.Length; i++) bytes[i] ^= 0x5A;
            File.WriteAllBytes(newest, bytes);
            damaged++;
        }
        Assert.True(damaged > 0, "no partition had two snapshots");

        var (system, coordinator) = StartAgain();
        try
        {
            var k = await AskAsync<ReadResult>(coordinator, new Read("k"));
            Assert.Equal(2, k.Value!.Value.GetInt32());
            Assert.Equal(2, k.Version);
            Assert.Equal(TransactionStatus.Prepared, (await AskAsync<TransactionInfo>(coordinator, new GetTransaction("undecided"))).Status);
            Assert.Equal(new AlreadyCommitted("first"), await AskAsync<ITransactionReply>(coordinator, new Commit("first")));
        }
        finally
        {
            await system.Terminate();
        }
    }
}
