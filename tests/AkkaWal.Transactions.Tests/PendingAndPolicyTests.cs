using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

public sealed class LargePendingTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    [Fact]
    public async Task Commits_work_with_100_000_pending_transactions_and_each_appends_one_record()
    {
        const int pending = 100_000;
        for (var offset = 0; offset < pending; offset += 2000)
            await Task.WhenAll(Enumerable.Range(offset, 2000).Select(i => AskAsync<Prepared>(new Prepare("p" + i, Changes(("key" + i, i))))));
        Assert.Equal(pending, (await AskAsync<InDoubtTransactions>(GetInDoubt.Instance)).Transactions.Count);
        var recordsBefore = await TotalJournalEvents();

        var toCommit = Enumerable.Range(0, 100).Select(i => i * 997).ToArray();
        foreach (var i in toCommit)
            Assert.Equal(new Committed("p" + i), await AskAsync<ITransactionReply>(new Commit("p" + i)));

        Assert.Equal(recordsBefore + toCommit.Length, await TotalJournalEvents());
        var read = await AskAsync<ReadKeysResult>(new ReadKeys(toCommit.Select(i => "key" + i).Append("key1").ToArray()));
        Assert.Equal(toCommit.Length, read.Values.Count); // key1 (p1) is still pending
        Assert.Equal(pending - toCommit.Length, (await AskAsync<InDoubtTransactions>(GetInDoubt.Instance)).Transactions.Count);
    }
}

public sealed class InDoubtPolicyTests(ITestOutputHelper output)
    : PipelineTestKit(output, "akkawal.transactions.in-doubt { policy = abort-after-timeout, timeout = 2s }")
{
    [Fact]
    public async Task Abort_after_timeout_policy_aborts_undecided_transactions_after_recovery()
    {
        await AskAsync<Prepared>(new Prepare("undecided", Changes(("u", 1))));
        await AskAsync<Prepared>(new Prepare("decided", Changes(("d", 1))));
        await AskAsync<Committed>(new Commit("decided"));
        await Sys.Terminate();

        var (system, coordinator) = StartAgain();
        try
        {
            await LedgerWorkload.WaitFor(() =>
                AskAsync<TransactionInfo>(coordinator, new GetTransaction("undecided")).Result.Status == TransactionStatus.Aborted);
            Assert.Equal(TransactionStatus.Committed, (await AskAsync<TransactionInfo>(coordinator, new GetTransaction("decided"))).Status);
            Assert.Empty((await AskAsync<InDoubtTransactions>(coordinator, GetInDoubt.Instance)).Transactions);
            Assert.False((await AskAsync<ReadResult>(coordinator, new Read("u"))).Found);
        }
        finally
        {
            await system.Terminate();
        }
    }
}

public sealed class KeepPolicyTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    [Fact]
    public async Task Keep_policy_lists_undecided_transactions_after_recovery_until_a_client_decides()
    {
        await AskAsync<Prepared>(new Prepare("undecided", Changes(("u", 1))));
        await Sys.Terminate();

        var (system, coordinator) = StartAgain();
        try
        {
            var inDoubt = await AskAsync<InDoubtTransactions>(coordinator, GetInDoubt.Instance);
            Assert.Equal(["undecided"], inDoubt.Transactions.Select(t => t.TxId));
            Assert.Equal(new Committed("undecided"), await AskAsync<ITransactionReply>(coordinator, new Commit("undecided")));
            Assert.Equal(1, (await AskAsync<ReadResult>(coordinator, new Read("u"))).Value!.Value.GetInt32());
        }
        finally
        {
            await system.Terminate();
        }
    }
}
