using Akka.Actor;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>
/// A partition recognises a redelivered prepare by its request id, which it stores with the share: the same request
/// answers as its first delivery did (Prepared, or the outcome once decided), also in the partition's next incarnation
/// (recovered from the journal, as on the node a shard moves to); another request with the same tx id is refused.
/// </summary>
public sealed class RepeatedPrepareTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    private int _incarnation;

    private TransactionSettings OwnSettings => Settings with { PersistenceIdPrefix = Data.Prefix + "repeat-" };

    /// <summary>A partition of its own (another persistence id), outside the running pipeline, as a shard region hosts it.</summary>
    private IActorRef StartPartition() =>
        Sys.ActorOf(PartitionActor.Props(0, OwnSettings, ActorRefs.Nobody), "repeat-partition-" + ++_incarnation);

    private IActorRef Restart(IActorRef partition)
    {
        Watch(partition);
        Sys.Stop(partition);
        ExpectTerminated(partition, Timeout);
        return StartPartition();
    }

    private T Ask<T>(IActorRef partition, object message)
    {
        var client = CreateTestProbe();
        partition.Tell(message, client);
        return client.ExpectMsg<T>(Timeout);
    }

    private static PrepareShare Share(string txId, Guid requestId, params (string Key, object? Value)[] changes) =>
        new(txId, 0, [0], Changes(changes), new Dictionary<string, long>(), requestId);

    [Fact]
    public void A_repeated_prepare_is_the_same_request_after_a_restart_and_after_its_decision_and_another_request_is_refused()
    {
        var share = Share("r1", Guid.NewGuid(), ("k", 1));
        var partition = StartPartition();
        Assert.Equal(new Prepared("r1"), Ask<ITransactionReply>(partition, share));
        Assert.Equal(new Prepared("r1"), Ask<ITransactionReply>(partition, share));

        partition = Restart(partition);
        Assert.Equal(new Prepared("r1"), Ask<ITransactionReply>(partition, share));
        Assert.Equal(new PartitionAnswer(7, new Prepared("r1")), Ask<PartitionAnswer>(partition, new PartitionRequest(7, share)));
        Assert.Equal(RejectionReason.AlreadyExists, Ask<TransactionRejected>(partition, share with { RequestId = Guid.NewGuid() }).Reason);
        Assert.Equal(RejectionReason.AlreadyExists, Ask<TransactionRejected>(partition, share with { RequestId = Guid.Empty }).Reason);

        Assert.Equal(new Committed("r1"), Ask<ITransactionReply>(partition, new DecideTransaction("r1", true, [0])));
        Assert.Equal(new AlreadyCommitted("r1"), Ask<ITransactionReply>(partition, share));
        partition = Restart(partition);
        Assert.Equal(new AlreadyCommitted("r1"), Ask<ITransactionReply>(partition, share));
        Assert.Equal(RejectionReason.AlreadyExists, Ask<TransactionRejected>(partition, share with { RequestId = Guid.NewGuid() }).Reason);
        Assert.Equal(1L, Ask<KeyReads>(partition, new ReadKeysAt(["k"])).Reads[0].Version);

        var aborted = Share("r2", Guid.NewGuid(), ("k2", 1));
        Assert.Equal(new Prepared("r2"), Ask<ITransactionReply>(partition, aborted));
        Assert.Equal(new Aborted("r2"), Ask<ITransactionReply>(partition, new DecideTransaction("r2", false, [0])));
        partition = Restart(partition);
        Assert.Equal(RejectionReason.TransactionAborted, Ask<TransactionRejected>(partition, aborted).Reason);
    }

    [Fact]
    public void A_repeated_prepare_that_was_refused_is_refused_again_even_when_the_lock_is_free_now()
    {
        var partition = StartPartition();
        Assert.Equal(new Prepared("holder"), Ask<ITransactionReply>(partition, Share("holder", Guid.NewGuid(), ("k", 1))));
        var blocked = Share("blocked", Guid.NewGuid(), ("k", 2));
        Assert.Equal(RejectionReason.LockConflict, Ask<TransactionRejected>(partition, blocked).Reason);
        Assert.Equal(new Aborted("holder"), Ask<ITransactionReply>(partition, new DecideTransaction("holder", false, [0])));

        // The client was told LockConflict: its redelivered request must not prepare now; a new request may.
        Assert.Equal(RejectionReason.LockConflict, Ask<TransactionRejected>(partition, blocked).Reason);
        Assert.Empty(Ask<PendingShares>(partition, ListPending.Instance).Shares);
        Assert.Equal(new Prepared("blocked"), Ask<ITransactionReply>(partition, blocked with { RequestId = Guid.NewGuid() }));
    }
}
