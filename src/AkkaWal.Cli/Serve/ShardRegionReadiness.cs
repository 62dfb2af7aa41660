using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;

namespace AkkaWal.Cli.Serve;

/// <summary>
/// Ready when this node's shard region of partitions is registered with the shard coordinator (the coordinator lists
/// this node among the regions), i.e. partitions can be allocated here and this node's requests reach every partition.
/// </summary>
internal sealed class ShardRegionReadiness : IClusterReadiness
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);

    public async Task<string?> NotReadyReasonAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        if (!ActorRegistry.For(system).TryGet<PartitionShards>(out var region))
            return "the shard region of partitions has not started yet";
        try
        {
            var regions = await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, AskTimeout, cancellationToken);
            var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
            return regions.Regions.Contains(self)
                ? null
                : $"the shard region of partitions is not registered with the shard coordinator yet ({regions.Regions.Count} regions known)";
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return "the shard region of partitions did not answer (no shard coordinator reachable yet)";
        }
    }
}
