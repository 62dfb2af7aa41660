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

        await Journal.OnWrite.FailIf(p => p.Payload is TransactionDecided { TxId: "doomed" });
        // The outcome of a failed write is unknown, and the client is told so...
        var reply = await AskAsync<WriteOutcomeUnknown>(new Commit("doomed"));
        Assert.Equal("doomed", reply.TxId);
        await Journal.OnWrite.Pass();

        // ...and the service recovers: the committed state is intact, the failed commit was not stored, and it can be retried.
        Assert.Equal(1, (await AskAsync<ReadResult>(new Read("kept"))).Value!.Value.GetInt32());
        Assert.Equal(TransactionStatus.Prepared, (await AskAsync<TransactionInfo>(new GetTransaction("doomed"))).Status);
        Assert.Equal(new Committed("doomed"), await AskAsync<ITransactionReply>(new Commit("doomed")));
        Assert.Equal(1, (await AskAsync<ReadResult>(new Read("doomed"))).Value!.Value.GetInt32());
    }
}
