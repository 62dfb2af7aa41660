using Akka.Actor;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>Locks and expected versions, one rule per test, on a running pipeline.</summary>
public sealed class IsolationTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    private static Dictionary<string, long> Expect(params (string Key, long Version)[] expect) => expect.ToDictionary(e => e.Key, e => e.Version);

    [Fact]
    public async Task A_prepare_on_a_locked_key_fails_at_once_naming_the_key_and_the_holder_and_writes_nothing()
    {
        await AskAsync<Prepared>(new Prepare("t1", Changes(("alice", 90))));
        var before = await TotalJournalEvents();
        var conflict = await AskAsync<TransactionRejected>(new Prepare("t2", Changes(("alice", 1))));
        Assert.Equal((RejectionReason.LockConflict, "alice", "t1"), (conflict.Reason, conflict.Key, conflict.Holder));
        Assert.Contains("'t1'", conflict.Message);
        Assert.Equal(before, await TotalJournalEvents());
        // The refused id is free.
        Assert.Equal(TransactionStatus.Unknown, (await AskAsync<TransactionInfo>(new GetTransaction("t2"))).Status);
        // Over two partitions, the share that could be prepared is aborted again: nothing stays locked.
        Assert.NotEqual(PartitionOf("alice"), PartitionOf("bob"));
        Assert.Equal(RejectionReason.LockConflict, (await AskAsync<TransactionRejected>(new Prepare("t3", Changes(("alice", 1), ("bob", 2))))).Reason);
        Assert.IsType<Prepared>(await AskAsync<ITransactionReply>(new Prepare("t4", Changes(("bob", 3)))));
    }

    [Fact]
    public async Task Commit_and_abort_release_the_locks()
    {
        await AskAsync<Prepared>(new Prepare("t1", Changes(("alice", 90), ("bob", 10))));
        await AskAsync<Committed>(new Commit("t1"));
        await AskAsync<Prepared>(new Prepare("t2", Changes(("alice", 80), ("bob", 20))));
        await AskAsync<Aborted>(new Abort("t2"));
        await AskAsync<Prepared>(new Prepare("t3", Changes(("alice", 70))));
        await AskAsync<Committed>(new Commit("t3"));
        var read = await AskAsync<ReadKeysResult>(new ReadKeys(["alice", "bob"]));
        Assert.Equal((70, 10), (read.Values["alice"].GetInt32(), read.Values["bob"].GetInt32()));
        Assert.Equal((2L, 1L), (read.Versions!["alice"], read.Versions["bob"]));
    }

    [Fact]
    public async Task Expected_versions_match_mismatch_and_zero_for_absent_and_present_keys()
    {
        // 0: must not exist.
        await AskAsync<Prepared>(new Prepare("open", Changes(("acct", 10)), Expect(("acct", 0))));
        await AskAsync<Committed>(new Commit("open"));
        var exists = await AskAsync<TransactionRejected>(new Prepare("again", Changes(("acct", 0)), Expect(("acct", 0))));
        Assert.Equal((RejectionReason.VersionMismatch, "acct", 0L, 1L), (exists.Reason, exists.Key, exists.Expected, exists.Actual));

        var read = await AskAsync<ReadResult>(new Read("acct"));
        Assert.Equal(1, read.Version);
        var stale = await AskAsync<TransactionRejected>(new Prepare("stale", Changes(("acct", 5)), Expect(("acct", 2))));
        Assert.Equal((RejectionReason.VersionMismatch, 2L, 1L), (stale.Reason, stale.Expected, stale.Actual));
        Assert.Contains("'acct'", stale.Message);

        await AskAsync<Prepared>(new Prepare("match", Changes(("acct", 5)), Expect(("acct", 1), ("other", 0))));
        await AskAsync<Committed>(new Commit("match"));
        Assert.Equal(2, (await AskAsync<ReadResult>(new Read("acct"))).Version);
        // An expected-only key is locked too (the read set is protected until the decision) and is not written.
        Assert.False((await AskAsync<ReadResult>(new Read("other"))).Found);
        Assert.Equal(RejectionReason.InvalidChanges, (await AskAsync<TransactionRejected>(new Prepare("neg", Changes(), Expect(("x", -1))))).Reason);
    }

    [Fact]
    public async Task An_expected_only_key_is_locked_until_the_decision()
    {
        await AskAsync<Prepared>(new Prepare("reader", Changes(("out", 1)), Expect(("in", 0))));
        Assert.Equal(RejectionReason.LockConflict, (await AskAsync<TransactionRejected>(new Prepare("writer", Changes(("in", 1))))).Reason);
        await AskAsync<Aborted>(new Abort("reader"));
        Assert.IsType<Prepared>(await AskAsync<ITransactionReply>(new Prepare("writer", Changes(("in", 1)))));
    }

    [Fact]
    public async Task A_multi_partition_transaction_commits_in_every_partition_and_repeats_answer_the_outcome()
    {
        Assert.NotEqual(PartitionOf("a"), PartitionOf("b"));
        await AskAsync<Prepared>(new Prepare("multi", Changes(("a", 1), ("b", 2))));
        Assert.Equal(new Committed("multi"), await AskAsync<ITransactionReply>(new Commit("multi")));
        Assert.Equal(new AlreadyCommitted("multi"), await AskAsync<ITransactionReply>(new Commit("multi")));
        Assert.Equal(RejectionReason.TransactionCommitted, (await AskAsync<TransactionRejected>(new Abort("multi"))).Reason);
        var read = await AskAsync<ReadKeysResult>(new ReadKeys(["a", "b"]));
        Assert.Equal((1, 2), (read.Values["a"].GetInt32(), read.Values["b"].GetInt32()));
        // Records: one share in each partition, one decision at the home, one apply at the other participant.
        var events = (await JournalEvents(PartitionOf("a"))).Concat(await JournalEvents(PartitionOf("b"))).ToArray();
        Assert.Equal(2, events.OfType<SharePrepared>().Count());
        Assert.Single(events.OfType<TransactionDecided>());
        Assert.Single(events.OfType<ShareResolved>());

        await AskAsync<Prepared>(new Prepare("multi-abort", Changes(("a", 5), ("b", 6))));
        Assert.Equal(new Aborted("multi-abort"), await AskAsync<ITransactionReply>(new Abort("multi-abort")));
        Assert.Equal(new AlreadyAborted("multi-abort"), await AskAsync<ITransactionReply>(new Abort("multi-abort")));
        Assert.Equal(1, (await AskAsync<ReadResult>(new Read("a"))).Value!.Value.GetInt32());
        // A prepare that fails in one partition leaves nothing locked in the others.
        await AskAsync<Prepared>(new Prepare("holder", Changes(("b", 9))));
        Assert.Equal(RejectionReason.LockConflict, (await AskAsync<TransactionRejected>(new Prepare("half", Changes(("a", 7), ("b", 8))))).Reason);
        Assert.IsType<Prepared>(await AskAsync<ITransactionReply>(new Prepare("after", Changes(("a", 7)))));
    }

    [Fact]
    public async Task Locks_of_in_doubt_transactions_survive_a_restart_until_they_are_decided()
    {
        await AskAsync<Prepared>(new Prepare("undecided", Changes(("a", 1), ("b", 1))));
        await AskAsync<Prepared>(new Prepare("single", Changes(("c", 1))));
        await Sys.Terminate();

        var (system, coordinator) = StartAgain();
        try
        {
            var conflict = await AskAsync<TransactionRejected>(coordinator, new Prepare("late", Changes(("b", 2))));
            Assert.Equal((RejectionReason.LockConflict, "undecided"), (conflict.Reason, conflict.Holder));
            Assert.Equal("single", (await AskAsync<TransactionRejected>(coordinator, new Prepare("late2", Changes(("c", 2))))).Holder);
            Assert.Equal(new Committed("undecided"), await AskAsync<ITransactionReply>(coordinator, new Commit("undecided")));
            Assert.IsType<Prepared>(await AskAsync<ITransactionReply>(coordinator, new Prepare("late", Changes(("b", 2)), new Dictionary<string, long> { ["b"] = 1 })));
        }
        finally
        {
            await system.Terminate();
        }
    }
}

public sealed class RuntimeInDoubtTimeoutTests(ITestOutputHelper output)
    : PipelineTestKit(output, "akkawal.transactions.in-doubt { policy = abort-after-timeout, timeout = 1s }")
{
    [Fact]
    public async Task Abort_after_timeout_aborts_transactions_abandoned_while_the_service_runs()
    {
        await AskAsync<Prepared>(new Prepare("abandoned", Changes(("a", 1), ("b", 1))));
        await AskAsync<Prepared>(new Prepare("abandoned-single", Changes(("c", 1))));
        await LedgerWorkload.WaitFor(() =>
            AskAsync<TransactionInfo>(new GetTransaction("abandoned")).Result.Status == TransactionStatus.Aborted &&
            AskAsync<TransactionInfo>(new GetTransaction("abandoned-single")).Result.Status == TransactionStatus.Aborted);
        // The home's abort reaches the other participant a moment after the decision: wait until no share is in doubt.
        await LedgerWorkload.WaitFor(() => !AskAsync<InDoubtTransactions>(GetInDoubt.Instance).Result.Transactions.Any());
        // Its locks are released.
        Assert.IsType<Prepared>(await AskAsync<ITransactionReply>(new Prepare("next", Changes(("a", 2), ("b", 2), ("c", 2)))));
    }
}

public sealed class DecidedRetentionTests(ITestOutputHelper output)
    : PipelineTestKit(output, "akkawal.transactions { partitions = 1, decided-retention { max-count = 3, max-age = off } }")
{
    [Fact]
    public async Task Only_the_newest_decided_ids_are_remembered_and_snapshots_stay_small()
    {
        for (var i = 0; i < 10; i++)
        {
            await AskAsync<Prepared>(new Prepare("d" + i, Changes(("k", i))));
            await AskAsync<Committed>(new Commit("d" + i));
        }
        Assert.Equal(new AlreadyCommitted("d9"), await AskAsync<ITransactionReply>(new Commit("d9")));
        Assert.Equal(new AlreadyCommitted("d7"), await AskAsync<ITransactionReply>(new Commit("d7")));
        Assert.Equal(RejectionReason.UnknownTransaction, (await AskAsync<TransactionRejected>(new Commit("d0"))).Reason);
        Assert.Equal(10, (await AskAsync<ReadResult>(new Read("k"))).Version);

        await AskAsync<CompactionReport>(CompactNow.Instance);
        await Sys.Terminate();
        var (system, coordinator) = StartAgain();
        try
        {
            // Recovered from the snapshot: still only three ids, still every value.
            Assert.Equal(new AlreadyCommitted("d8"), await AskAsync<ITransactionReply>(coordinator, new Commit("d8")));
            Assert.Equal(RejectionReason.UnknownTransaction, (await AskAsync<TransactionRejected>(coordinator, new Commit("d5"))).Reason);
            Assert.Equal(9, (await AskAsync<ReadResult>(coordinator, new Read("k"))).Value!.Value.GetInt32());
        }
        finally
        {
            await system.Terminate();
        }
    }
}

public sealed class PartitionsChangedTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    [Fact]
    public async Task A_start_with_the_recorded_number_of_partitions_reports_its_layout_checked_without_error()
    {
        var layout = await AskAsync<LayoutChecked>(AwaitLayoutChecked.Instance);
        Assert.Null(layout.Error);
        Assert.Equal(Settings.Partitions, layout.Partitions);
    }

    [Fact]
    public async Task Starting_with_another_number_of_partitions_fails_naming_the_key()
    {
        await AskAsync<Prepared>(new Prepare("t", Changes(("k", 1))));
        await Sys.Terminate();

        var system = ActorSystem.Create("other", ConfigFor(Data, "akkawal.transactions.partitions = 5"));
        try
        {
            var coordinator = system.StartTransactions();
            var failure = await Assert.ThrowsAsync<Akka.Configuration.ConfigurationException>(() => coordinator.Ask<object>(new Read("k"), Timeout));
            Assert.Contains("akkawal.transactions.partitions = 5", failure.Message);
            Assert.Contains("partitions = 4", failure.Message);
            // What a host asks at start-up to refuse to run: the recorded count and the same reason.
            var layout = await coordinator.Ask<LayoutChecked>(AwaitLayoutChecked.Instance, Timeout);
            Assert.Equal(4, layout.Partitions);
            Assert.Equal(failure.Message, layout.Error);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
