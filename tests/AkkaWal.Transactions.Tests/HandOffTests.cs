using Akka.Actor;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>
/// A partition handed to another node (Cluster.Sharding rebalance or graceful leave) is stopped with
/// <see cref="StopPartition"/>: it answers the writes it has in flight before it stops, instead of dropping their
/// requesters as a PoisonPill would (their clients would wait out their timeout for an answer that never comes).
/// </summary>
public sealed class HandOffTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    [Fact]
    public async Task A_partition_asked_to_stop_answers_its_in_flight_prepares_first_and_they_are_durable()
    {
        // A partition of its own (another persistence id), outside the running pipeline, as a shard region hosts it.
        var settings = Settings with { PersistenceIdPrefix = Data.Prefix + "handoff-" };
        var partition = Sys.ActorOf(PartitionActor.Props(0, settings, ActorRefs.Nobody), "handoff-partition");
        Watch(partition);
        var client = CreateTestProbe();
        for (var i = 0; i < 20; i++)
            partition.Tell(new PrepareShare($"t{i}", 0, [0], Changes(($"k{i}", i)), new Dictionary<string, long>()), client);
        partition.Tell(StopPartition.Instance);

        var answers = Enumerable.Range(0, 20).Select(_ => client.ExpectMsg<Prepared>(Timeout).TxId).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"t{i}").ToHashSet(), answers);
        ExpectTerminated(partition, Timeout);

        // The next incarnation (on the node the shard moved to) holds every prepared share.
        var again = Sys.ActorOf(PartitionActor.Props(0, settings, ActorRefs.Nobody), "handoff-partition-again");
        again.Tell(ListPending.Instance, client);
        Assert.Equal(20, client.ExpectMsg<PendingShares>(Timeout).Shares.Count);
    }
}
