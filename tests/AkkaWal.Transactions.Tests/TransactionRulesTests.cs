using System.Text.Json;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>Each rule of the protocol, one test each, on a running pipeline; "nothing written" is checked in the journal.</summary>
public sealed class TransactionRulesTests(ITestOutputHelper output)
    : PipelineTestKit(output, "akkawal.transactions.max-changes-bytes = 200")
{
    [Fact]
    public async Task Empty_tx_id_is_rejected_and_writes_nothing()
    {
        var reply = await AskAsync<TransactionRejected>(new Prepare("", Changes(("k", 1))));
        Assert.Equal(RejectionReason.InvalidTxId, reply.Reason);
        Assert.Contains("1 to 256", reply.Message);
        Assert.Equal(0, await TotalJournalEvents());
    }

    [Fact]
    public async Task Tx_id_of_256_characters_is_accepted_and_257_rejected()
    {
        var longest = new string('x', 256);
        Assert.IsType<Prepared>(await AskAsync<ITransactionReply>(new Prepare(longest, Changes(("k", 1)))));
        var tooLong = new string('y', 257);
        var reply = await AskAsync<TransactionRejected>(new Prepare(tooLong, Changes(("k", 1))));
        Assert.Equal(RejectionReason.InvalidTxId, reply.Reason);
        Assert.Contains("257", reply.Message);
        Assert.Equal(RejectionReason.InvalidTxId, (await AskAsync<TransactionRejected>(new Commit(tooLong))).Reason);
        Assert.Equal(RejectionReason.InvalidTxId, (await AskAsync<TransactionRejected>(new Abort(""))).Reason);
        Assert.Equal(1, await TotalJournalEvents());
    }

    [Fact]
    public async Task Changes_larger_than_the_limit_are_rejected_and_write_nothing()
    {
        var reply = await AskAsync<TransactionRejected>(new Prepare("big", Changes(("blob", new string('z', 300)))));
        Assert.Equal(RejectionReason.InvalidChanges, reply.Reason);
        Assert.Contains("max-changes-bytes = 200", reply.Message);
        Assert.Equal(0, await TotalJournalEvents());
        Assert.Equal(TransactionStatus.Unknown, (await AskAsync<TransactionInfo>(new GetTransaction("big"))).Status);
    }

    [Fact]
    public async Task Prepare_of_an_existing_id_is_rejected_and_keeps_the_first_changes()
    {
        await AskAsync<Prepared>(new Prepare("dup", Changes(("k", 1))));
        var reply = await AskAsync<TransactionRejected>(new Prepare("dup", Changes(("k", 2))));
        Assert.Equal(RejectionReason.AlreadyExists, reply.Reason);
        Assert.Single(await JournalEvents(PartitionOf("k")));
        var info = await AskAsync<TransactionInfo>(new GetTransaction("dup"));
        Assert.Equal(1, info.Changes!["k"].GetInt32());

        // Also after the transaction is decided.
        await AskAsync<Committed>(new Commit("dup"));
        Assert.Equal(RejectionReason.AlreadyExists, (await AskAsync<TransactionRejected>(new Prepare("dup", Changes(("k", 3))))).Reason);
        Assert.Equal(2, (await JournalEvents(PartitionOf("k"))).Count);
    }

    [Fact]
    public async Task Commit_of_an_unknown_transaction_is_rejected_and_writes_nothing()
    {
        var reply = await AskAsync<TransactionRejected>(new Commit("never-prepared"));
        Assert.Equal(RejectionReason.UnknownTransaction, reply.Reason);
        Assert.Contains("never-prepared", reply.Message);
        Assert.Equal(0, await TotalJournalEvents());
    }

    [Fact]
    public async Task Commit_of_an_aborted_transaction_is_rejected_and_writes_nothing()
    {
        await AskAsync<Prepared>(new Prepare("ab", Changes(("k", 1))));
        await AskAsync<Aborted>(new Abort("ab"));
        var reply = await AskAsync<TransactionRejected>(new Commit("ab"));
        Assert.Equal(RejectionReason.TransactionAborted, reply.Reason);
        Assert.Equal(2, (await JournalEvents(PartitionOf("k"))).Count);
        Assert.False((await AskAsync<ReadResult>(new Read("k"))).Found);
    }

    [Fact]
    public async Task Second_commit_answers_already_committed_and_appends_nothing()
    {
        await AskAsync<Prepared>(new Prepare("c2", Changes(("k", 1))));
        await AskAsync<Committed>(new Commit("c2"));
        var before = await JournalEvents(PartitionOf("k"));
        Assert.Equal(new AlreadyCommitted("c2"), await AskAsync<ITransactionReply>(new Commit("c2")));
        Assert.Equal(before.Count, (await JournalEvents(PartitionOf("k"))).Count);
    }

    [Fact]
    public async Task Second_abort_answers_already_aborted_and_appends_nothing()
    {
        await AskAsync<Prepared>(new Prepare("a2", Changes(("k", 1))));
        await AskAsync<Aborted>(new Abort("a2"));
        Assert.Equal(new AlreadyAborted("a2"), await AskAsync<ITransactionReply>(new Abort("a2")));
        Assert.Equal(2, (await JournalEvents(PartitionOf("k"))).Count);
    }

    [Fact]
    public async Task Abort_of_a_committed_transaction_is_rejected_and_writes_nothing()
    {
        await AskAsync<Prepared>(new Prepare("ac", Changes(("k", 1))));
        await AskAsync<Committed>(new Commit("ac"));
        Assert.Equal(RejectionReason.TransactionCommitted, (await AskAsync<TransactionRejected>(new Abort("ac"))).Reason);
        Assert.Equal(2, (await JournalEvents(PartitionOf("k"))).Count);
        Assert.Equal(1, (await AskAsync<ReadResult>(new Read("k"))).Value!.Value.GetInt32());
    }

    [Fact]
    public async Task Abort_of_an_unknown_transaction_is_rejected()
    {
        Assert.Equal(RejectionReason.UnknownTransaction, (await AskAsync<TransactionRejected>(new Abort("nobody"))).Reason);
        Assert.Equal(0, await TotalJournalEvents());
    }

    [Fact]
    public async Task Commits_sent_while_the_first_is_in_flight_all_answer_after_it_is_durable()
    {
        await AskAsync<Prepared>(new Prepare("race", Changes(("k", 1))));
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => AskAsync<ITransactionReply>(new Commit("race"))));
        Assert.Single(replies.OfType<Committed>());
        Assert.Equal(19, replies.OfType<AlreadyCommitted>().Count());
        Assert.Single((await JournalEvents(PartitionOf("k"))).OfType<TransactionDecided>());
    }

    [Fact]
    public async Task Prepared_changes_are_invisible_until_commit_then_all_visible_together()
    {
        await AskAsync<Prepared>(new Prepare("vis", Changes(("balance:alice", 90), ("balance:bob", 110), ("gone", null))));
        var before = await AskAsync<ReadKeysResult>(new ReadKeys(["balance:alice", "balance:bob", "gone"]));
        Assert.Empty(before.Values);

        await AskAsync<Committed>(new Commit("vis"));
        var after = await AskAsync<ReadKeysResult>(new ReadKeys(["balance:alice", "balance:bob", "gone", "other"]));
        Assert.Equal(90, after.Values["balance:alice"].GetInt32());
        Assert.Equal(110, after.Values["balance:bob"].GetInt32());
        Assert.Equal(JsonValueKind.Null, after.Values["gone"].ValueKind);
        Assert.False(after.Values.ContainsKey("other"));
        var single = await AskAsync<ReadResult>(new Read("gone"));
        Assert.True(single.Found);
    }

    [Fact]
    public async Task A_commit_appends_exactly_one_COMMIT_record_whatever_is_pending()
    {
        // Many pending transactions in the same partition as the one committed.
        var target = "commit-me";
        var partition = PartitionOf("t");
        var sameShard = Enumerable.Range(0, 100_000).Select(i => "pending-" + i).Where(id => PartitionOf("p:" + id) == partition).Take(500).ToList();
        await Task.WhenAll(sameShard.Select(id => AskAsync<Prepared>(new Prepare(id, Changes(("p:" + id, 1))))));
        await AskAsync<Prepared>(new Prepare(target, Changes(("t", 1))));
        var before = (await JournalEvents(partition)).Count;

        await AskAsync<Committed>(new Commit(target));

        var after = await JournalEvents(partition);
        Assert.Equal(before + 1, after.Count);
        Assert.Equal(target, Assert.IsType<TransactionDecided>(after[^1]).TxId);
        Assert.Equal(500, (await AskAsync<InDoubtTransactions>(GetInDoubt.Instance)).Transactions.Count);
    }

    [Fact]
    public async Task Multi_key_reads_never_see_part_of_a_transaction()
    {
        // Every transaction sets a and b to the same number; a read that sees a != b saw half a transaction.
        const int transactions = 200;
        var readerDone = false;
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!Volatile.Read(ref readerDone))
            {
                var seen = await AskAsync<ReadKeysResult>(new ReadKeys(["a", "b"]));
                if (seen.Values.Count > 0)
                    Assert.Equal(seen.Values["a"].GetInt32(), seen.Values["b"].GetInt32());
                Assert.Equal(seen.Values.ContainsKey("a"), seen.Values.ContainsKey("b"));
                reads++;
            }
        });
        // a and b live in different partitions, so every transaction is a two-partition one; writers that find the
        // keys locked retry with a new id.
        Assert.NotEqual(PartitionOf("a"), PartitionOf("b"));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async writer =>
        {
            for (var i = writer; i < transactions; i += 8)
                for (var attempt = 0; ; attempt++)
                {
                    var id = $"pair-{i}-{attempt}";
                    if (await AskAsync<ITransactionReply>(new Prepare(id, Changes(("a", i), ("b", i)))) is TransactionRejected { Reason: RejectionReason.LockConflict })
                    {
                        await Task.Delay(Random.Shared.Next(1, 5)); // back off, so that writers do not spin on the lock
                        continue;
                    }
                    await AskAsync<Committed>(new Commit(id));
                    break;
                }
        }));
        Volatile.Write(ref readerDone, true);
        await reader;
        Assert.True(reads > 0);
        var final = await AskAsync<ReadKeysResult>(new ReadKeys(["a", "b"]));
        Assert.Equal(final.Values["a"].GetInt32(), final.Values["b"].GetInt32());
    }

    [Fact]
    public async Task In_doubt_lists_prepared_transactions_only_and_get_transaction_reports_status()
    {
        await AskAsync<Prepared>(new Prepare("p1", Changes(("x", 1))));
        await AskAsync<Prepared>(new Prepare("p2", Changes(("y", 2))));
        await AskAsync<Prepared>(new Prepare("p3", Changes()));
        await AskAsync<Committed>(new Commit("p2"));
        await AskAsync<Aborted>(new Abort("p3"));

        var inDoubt = await AskAsync<InDoubtTransactions>(GetInDoubt.Instance);
        Assert.Equal(["p1"], inDoubt.Transactions.Select(t => t.TxId));
        Assert.Equal(1, inDoubt.Transactions[0].Changes["x"].GetInt32());
        Assert.Equal(TransactionStatus.Prepared, (await AskAsync<TransactionInfo>(new GetTransaction("p1"))).Status);
        Assert.Equal(TransactionStatus.Committed, (await AskAsync<TransactionInfo>(new GetTransaction("p2"))).Status);
        Assert.Equal(TransactionStatus.Aborted, (await AskAsync<TransactionInfo>(new GetTransaction("p3"))).Status);
        Assert.Equal(TransactionStatus.Unknown, (await AskAsync<TransactionInfo>(new GetTransaction("p4"))).Status);
    }
}
