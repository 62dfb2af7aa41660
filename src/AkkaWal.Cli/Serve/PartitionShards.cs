using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Partitioning;

namespace AkkaWal.Cli.Serve;

/// <summary>
/// The partitions as Akka.Cluster.Sharding entities: one entity per partition (entity id = shard id = the partition
/// number, so a shard moves one partition), started by the shard region on whichever node the shard coordinator
/// allocates. The region is the partitions seam every node's <see cref="TransactionCoordinator"/> and every partition
/// talk to; <see cref="PartitionEnvelope"/> crosses nodes through the TransactionsSerializer.
/// <para>
/// Remember-entities on, passivation off: a partition owns locks, in-doubt shares and decisions it drives on timers, so
/// it must run without waiting for a message. When a node dies (downed by the split-brain resolver) or leaves, its
/// shards are allocated to survivors and every remembered partition starts there at once, recovering from the shared
/// journal. The remembered set and the shard coordinator's state live in that same journal
/// (<c>remember-entities-store = eventsourced</c>, <c>state-store-mode = persistence</c>), not in Distributed Data's
/// node-local LMDB file, which a dead node would take with it. A shard handed off (rebalance, graceful leave) stops its
/// partition with <see cref="StopPartition"/>, which lets in-flight writes finish and be answered first.
/// </para>
/// </summary>
internal sealed class PartitionShards
{
    /// <summary>Only a key: the region is registered in Akka.Hosting's ActorRegistry under this type.</summary>
    private PartitionShards()
    {
    }

    public const string TypeName = "akkawal-partition";

    /// <summary>Starts this node's shard region and returns it.</summary>
    public static IActorRef StartRegion(ActorSystem system, TransactionSettings settings)
    {
        var sharding = ClusterSharding.Get(system); // also puts the sharding defaults into the system's config
        var config = ConfigurationFactory.ParseString($$"""
            remember-entities = on
            remember-entities-store = eventsourced
            state-store-mode = persistence
            passivate-idle-entity-after = off
            journal-plugin-id = "{{settings.JournalPluginId}}"
            snapshot-plugin-id = "{{settings.SnapshotPluginId}}"
            """).WithFallback(system.Settings.Config.GetConfig("akka.cluster.sharding"));
        var shardingSettings = ClusterShardingSettings.Create(config, system.Settings.Config.GetConfig("akka.cluster.singleton"));
        // An entity's seam to the other partitions is this same region; it exists by the time the first entity starts.
        return sharding.Start(TypeName,
            entityId => PartitionActor.Props(int.Parse(entityId, System.Globalization.CultureInfo.InvariantCulture), settings, sharding.ShardRegion(TypeName)),
            shardingSettings, new Extractor(settings.Partitions), sharding.DefaultShardAllocationStrategy(shardingSettings),
            // Not the default PoisonPill: a partition with PersistAsync writes in flight finishes them (and answers)
            // before it stops, so a rebalance or a graceful leave loses no reply.
            StopPartition.Instance);
    }

    /// <summary>Reads the partition number of a <see cref="PartitionEnvelope"/> (Akka handles its own StartEntity, which
    /// remember-entities sends); the entity gets the envelope's message, as <see cref="PartitionRegion"/> does.</summary>
    internal sealed class Extractor(int partitions) : IMessageExtractor
    {
        public string? EntityId(object message) => message switch
        {
            PartitionEnvelope envelope when envelope.Partition >= 0 && envelope.Partition < partitions => envelope.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };

        public object? EntityMessage(object message) => message is PartitionEnvelope envelope ? envelope.Message : message;

        public string? ShardId(object message) => EntityId(message);

        public string ShardId(string entityId, object? messageHint = null) => entityId;
    }
}
