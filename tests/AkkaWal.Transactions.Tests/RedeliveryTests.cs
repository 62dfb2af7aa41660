using Akka.Actor;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>
/// The coordinator delivers to partitions at least once (Cluster.Sharding delivers at most once: a request in flight to
/// a shard that is handed off is lost) and partitions treat a repeat as the same request. A fault-injection seam
/// (<see cref="LossyPartitions"/>) loses first requests and first answers between a real coordinator and the real
/// partitions: every client still gets its answer, and every transaction takes effect exactly once.
/// </summary>
public sealed class RedeliveryTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    private (IActorRef Coordinator, Akka.TestKit.TestProbe Losses) StartLossyPipeline(Func<int, ITransactionsMessage, Loss> rule)
    {
        // A pipeline of its own (own persistence ids) whose coordinator reaches the real partitions through the seam.
        var settings = Settings with { PersistenceIdPrefix = Data.Prefix + "lossy-", RedeliveryInterval = TimeSpan.FromMilliseconds(300) };
        var losses = CreateTestProbe();
        var partitions = Sys.ActorOf(PartitionRegion.Props(settings), "lossy-partitions");
        var seam = Sys.ActorOf(LossyPartitions.Props(partitions, rule, losses), "lossy-seam");
        return (Sys.ActorOf(TransactionCoordinator.Props(settings, seam), "lossy-transactions"), losses);
    }

    private TransactionSettings LossySettings => Settings with { PersistenceIdPrefix = Data.Prefix + "lossy-" };

    private static void ExpectLoss(Akka.TestKit.TestProbe losses, string message, string txId, Loss loss) =>
        Assert.Contains(losses.ReceiveN(1, Timeout).Cast<LossyPartitions.Lost>(), l => l.Message == message && l.TxId == txId && l.Loss == loss);

    private async Task<int> RecordsOf<T>(string txId, int partition) where T : ITransactionEvent =>
        (await JournalEvents(Sys, LossySettings, partition)).OfType<T>().Count(e => e.TxId == txId);

    [Fact]
    public async Task A_single_partition_prepare_and_commit_whose_request_or_answer_is_lost_are_answered_and_take_effect_once()
    {
        var (coordinator, losses) = StartLossyPipeline((_, message) => message switch
        {
            PrepareShare { TxId: "t1" } => Loss.Request,
            DecideTransaction { TxId: "t1" } => Loss.Answer,
            PrepareShare { TxId: "t2" } => Loss.Answer,
            DecideTransaction { TxId: "t2" } => Loss.Request,
            _ => Loss.None,
        });

        Assert.Equal(new Prepared("t1"), await AskAsync<ITransactionReply>(coordinator, new Prepare("t1", Changes(("k1", 1)))));
        ExpectLoss(losses, nameof(PrepareShare), "t1", Loss.Request);
        // The first commit was done and its answer lost: the redelivery finds it committed, which is a successful commit.
        Assert.Contains(await AskAsync<ITransactionReply>(coordinator, new Commit("t1")), new ITransactionReply[] { new Committed("t1"), new AlreadyCommitted("t1") });
        ExpectLoss(losses, nameof(DecideTransaction), "t1", Loss.Answer);

        // The first prepare was done and its answer lost: the redelivery is the same request, not AlreadyExists.
        Assert.Equal(new Prepared("t2"), await AskAsync<ITransactionReply>(coordinator, new Prepare("t2", Changes(("k2", 2)))));
        ExpectLoss(losses, nameof(PrepareShare), "t2", Loss.Answer);
        Assert.Equal(new Committed("t2"), await AskAsync<ITransactionReply>(coordinator, new Commit("t2")));
        ExpectLoss(losses, nameof(DecideTransaction), "t2", Loss.Request);

        var read = await AskAsync<ReadKeysResult>(coordinator, new ReadKeys(["k1", "k2"]));
        Assert.Equal((1, 1L, 2, 1L), (read.Values["k1"].GetInt32(), read.Versions!["k1"], read.Values["k2"].GetInt32(), read.Versions["k2"]));
        foreach (var (txId, key) in new[] { ("t1", "k1"), ("t2", "k2") })
        {
            Assert.Equal(1, await RecordsOf<SharePrepared>(txId, PartitionOf(key)));
            Assert.Equal(1, await RecordsOf<TransactionDecided>(txId, PartitionOf(key)));
        }
        // Another prepare naming a used tx id is still refused.
        var again = await AskAsync<TransactionRejected>(coordinator, new Prepare("t2", Changes(("k2", 3))));
        Assert.Equal(RejectionReason.AlreadyExists, again.Reason);
    }

    [Fact]
    public async Task A_two_partition_prepare_and_commit_with_lost_requests_and_answers_are_answered_and_take_effect_once()
    {
        var (alice, bob) = (PartitionOf("alice"), PartitionOf("bob"));
        Assert.NotEqual(alice, bob);
        var (coordinator, losses) = StartLossyPipeline((partition, message) => (partition, message) switch
        {
            (_, PrepareShare { TxId: "t3" }) => partition == alice ? Loss.Request : Loss.Answer,
            (_, FindShare { TxId: "t3" }) when partition == alice => Loss.Answer,
            (_, DecideTransaction { TxId: "t3" }) => Loss.Answer,
            _ => Loss.None,
        });

        Assert.Equal(new Prepared("t3"), await AskAsync<ITransactionReply>(coordinator, new Prepare("t3", Changes(("alice", 90), ("bob", 10)))));
        Assert.Contains(await AskAsync<ITransactionReply>(coordinator, new Commit("t3")), new ITransactionReply[] { new Committed("t3"), new AlreadyCommitted("t3") });
        var struck = losses.ReceiveN(4, Timeout).Cast<LossyPartitions.Lost>().Select(l => (l.Partition, l.Message, l.Loss)).ToHashSet();
        Assert.Equal(new[]
        {
            (alice, nameof(PrepareShare), Loss.Request), (bob, nameof(PrepareShare), Loss.Answer),
            (alice, nameof(FindShare), Loss.Answer), (PartitionHash.HomeOf("t3", new[] { alice, bob }.Order().ToArray()), nameof(DecideTransaction), Loss.Answer),
        }.ToHashSet(), struck);

        var read = await AskAsync<ReadKeysResult>(coordinator, new ReadKeys(["alice", "bob"]));
        Assert.Equal((90, 1L, 10, 1L), (read.Values["alice"].GetInt32(), read.Versions!["alice"], read.Values["bob"].GetInt32(), read.Versions["bob"]));
        Assert.Equal(TransactionStatus.Committed, (await AskAsync<TransactionInfo>(coordinator, new GetTransaction("t3"))).Status);
        Assert.Equal(1, await RecordsOf<SharePrepared>("t3", alice));
        Assert.Equal(1, await RecordsOf<SharePrepared>("t3", bob));
    }
}
