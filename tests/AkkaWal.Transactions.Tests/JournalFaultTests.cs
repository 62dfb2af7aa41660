using Akka.Actor;
using Akka.Persistence.TestKit;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>What the pipeline does when the journal rejects or fails a write (Akka's fault-injecting TestJournal).</summary>
public sealed class JournalFaultTests(ITestOutputHelper output) : PipelineTestKit(output, """
    akka.persistence.journal.faulty {
      class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
      plugin-dispatcher = "akka.actor.default-dispatcher"
    }
    akkawal.transactions.journal-plugin = "akka.persistence.journal.faulty"
    akkawal.transactions { internal-ask-timeout = 20s, redelivery-interval = 300ms }
    """)
{
    private ITestJournal Journal => TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor("akka.persistence.journal.faulty"));

    [Fact]
    public async Task A_rejected_prepare_answers_journal_rejected_and_leaves_the_id_free()
    {
        await Journal.OnWrite.RejectIf(p => p.Payload is SharePrepared { TxId: "refused" });
        var reply = await AskAsync<TransactionRejected>(new Prepare("refused", Changes(("k", 1))));
        Assert.Equal(RejectionReason.JournalRejected, reply.Reason);
        Assert.Equal(TransactionStatus.Unknown, (await AskAsync<TransactionInfo>(new GetTransaction("refused"))).Status);

        await Journal.OnWrite.Pass();
        Assert.Equal(new Prepared("refused"), await AskAsync<ITransactionReply>(new Prepare("refused", Changes(("k", 1)))));
    }

    [Fact]
    public async Task A_failed_commit_write_stops_the_writer_and_the_pipeline_recovers_from_the_journal()
    {
        await AskAsync<Prepared>(new Prepare("kept", Changes(("kept", 1))));
        await AskAsync<Committed>(new Commit("kept"));
        await AskAsync<Prepared>(new Prepare("doomed", Changes(("doomed", 1))));

        var failed = new TaskCompletionSource();
        await Journal.OnWrite.FailIf(p =>
        {
            if (p.Payload is not TransactionDecided { TxId: "doomed" })
                return false;
            failed.TrySetResult();
            return true;
        });
        var commit = AskAsync<ITransactionReply>(new Commit("doomed"));
        await failed.Task.WaitAsync(Timeout);
        Assert.False(commit.IsCompleted);
        await Journal.OnWrite.Pass();

        // The partition stopped, told the coordinator the outcome was unknown and recovered from the journal, which did
        // not store the failed write; the coordinator asked the recovered partition again, which committed it.
        Assert.Equal(new Committed("doomed"), await commit);
        Assert.Equal(1, (await AskAsync<ReadResult>(new Read("kept"))).Value!.Value.GetInt32());
        Assert.Equal(1, (await AskAsync<ReadResult>(new Read("doomed"))).Value!.Value.GetInt32());
        Assert.Equal(new AlreadyCommitted("doomed"), await AskAsync<ITransactionReply>(new Commit("doomed")));
    }

    [Fact]
    public async Task A_partition_whose_writes_keep_failing_leaves_its_client_with_outcome_unknown_after_the_internal_ask_timeout()
    {
        await AskAsync<Prepared>(new Prepare("doomed", Changes(("doomed", 1))));
        await Journal.OnWrite.FailIf(p => p.Payload is TransactionDecided { TxId: "doomed" });

        var reply = await Coordinator.Ask<WriteOutcomeUnknown>(new Commit("doomed"), Timeout + Settings.InternalAskTimeout);
        Assert.Equal("doomed", reply.TxId);
        Assert.Contains("did not answer DecideTransaction", reply.Message);
        await Journal.OnWrite.Pass();

        Assert.Equal(TransactionStatus.Prepared, (await AskAsync<TransactionInfo>(new GetTransaction("doomed"))).Status);
        Assert.Equal(new Committed("doomed"), await AskAsync<ITransactionReply>(new Commit("doomed")));
    }
}
