using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Hosting;
using AkkaWal.Cli.Hosting.Configuration;
using AkkaWal.Transactions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AkkaWal.Cli.Serve;

/// <summary>
/// `akkawal serve` in an Akka cluster, switched on by configuration alone (<c>akka.actor.provider = cluster</c>, see
/// hocon/examples/cluster-postgres.conf): Akka.Remote and Akka.Cluster start from the standard keys
/// (<c>akka.remote.dot-netty.tcp.*</c>, <c>akka.cluster.seed-nodes</c>, the split-brain resolver).
/// <para>
/// Single writer per partition: the partitions are Cluster.Sharding entities (<see cref="PartitionShards"/>), so each
/// runs on exactly one node at a time against the shared database; every node runs its own stateless
/// <see cref="TransactionCoordinator"/> on the shard region. When a node leaves, its shards hand over (the old entity
/// stops before the new one starts); when it dies, the split-brain resolver downs it first, then its shards move.
/// </para>
/// </summary>
internal static class ClusterMode
{
    public static bool IsEnabled(Config config) =>
        config.HasPath("akka.actor.provider") &&
        config.GetString("akka.actor.provider").Trim() is "cluster" or "Akka.Cluster.ClusterActorRefProvider, Akka.Cluster";

    /// <summary>What cluster mode needs beyond the per-key rules; each problem names its key.</summary>
    public static IReadOnlyList<string> Check(Config config, bool walJournal)
    {
        var problems = new List<string>();
        if (!IsEnabled(config))
            return problems;
        if (walJournal)
            problems.Add("akkawal.transactions.journal-plugin = '" + config.GetString("akkawal.transactions.journal-plugin") +
                         "' is not allowed in cluster mode (akka.actor.provider = cluster): must be a journal every node shares, " +
                         "such as akka.persistence.journal.sql on PostgreSQL (hocon/examples/cluster-postgres.conf)");
        foreach (var key in new[] { "akkawal.transactions.journal-plugin", "akkawal.transactions.snapshot-plugin" })
        {
            var plugin = config.GetString(key);
            if (config.HasPath(plugin + ".connection-string") && string.IsNullOrWhiteSpace(config.GetString(plugin + ".connection-string")))
                problems.Add($"{plugin}.connection-string is empty: set akkawal.postgres.connection-string " +
                             "(hocon/examples/cluster-postgres.conf wires it into the journal and the snapshot store)");
        }
        return problems;
    }

    /// <summary>Starts this node's shard region of partitions (<see cref="PartitionShards"/>) and a local coordinator whose
    /// partitions seam is that region, so every node serves the whole HTTP API and any node accepts any request.</summary>
    public static AkkaConfigurationBuilder WithAkkaWalTransactionsSharded(this AkkaConfigurationBuilder builder)
    {
        // The defaults carry the serializer binding, which must be in the config before the system starts.
        builder.AddHocon(TransactionsConfig.Default, HoconAddMode.Append);
        builder.WithActors((system, registry) =>
        {
            var settings = TransactionSettings.Create(system);
            var region = PartitionShards.StartRegion(system, settings);
            registry.Register<PartitionShards>(region);
            registry.Register<TransactionCoordinator>(system.ActorOf(TransactionCoordinator.Props(settings, region), "transactions"));
        });
        return builder;
    }

    /// <summary>The health check that answers Healthy only while this node is Up in the cluster.</summary>
    public static IHealthChecksBuilder AddClusterMembership(this IHealthChecksBuilder builder)
    {
        builder.Services.AddSingleton<IClusterReadiness, ShardRegionReadiness>();
        return builder.Add(new HealthCheckRegistration("cluster",
            services => new ClusterMemberHealthCheck(services.GetRequiredService<ActorSystem>(), services.GetServices<IClusterReadiness>()),
            HealthStatus.Unhealthy, ["akkawal", "cluster"]));
    }
}

/// <summary>
/// One more condition a node that is Up must meet before /health answers 200, registered in the host's services
/// (<c>services.AddSingleton&lt;IClusterReadiness, ...&gt;()</c>): cluster mode registers
/// <see cref="ShardRegionReadiness"/> ("its shard region is ready").
/// </summary>
internal interface IClusterReadiness
{
    /// <summary>Null when ready, else why not (the health check's description).</summary>
    Task<string?> NotReadyReasonAsync(ActorSystem system, CancellationToken cancellationToken);
}

/// <summary>
/// Healthy only when this node is Up in the cluster (a joining, leaving, downed or never-joined node is not ready for
/// traffic) and every registered <see cref="IClusterReadiness"/> condition holds.
/// </summary>
internal sealed class ClusterMemberHealthCheck(ActorSystem system, IEnumerable<IClusterReadiness> readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var self = cluster.SelfMember;
        var data = new Dictionary<string, object>
        {
            ["address"] = cluster.SelfAddress.ToString(),
            ["status"] = self.Status.ToString(),
            ["members"] = cluster.State.Members.Count,
            ["unreachable"] = cluster.State.Unreachable.Count,
        };
        if (self.Status != MemberStatus.Up)
            return HealthCheckResult.Unhealthy(cluster.State.Members.Count == 0
                ? "this node is not Up: it has not joined a cluster yet (is a node of akka.cluster.seed-nodes reachable?)"
                : $"this node is {self.Status} in the cluster, not Up", data: data);
        foreach (var condition in readiness)
        {
            if (await condition.NotReadyReasonAsync(system, cancellationToken) is { } notReady)
                return HealthCheckResult.Unhealthy(notReady, data: data);
        }
        return HealthCheckResult.Healthy("this node is Up in the cluster and its shard region is ready", data);
    }
}

