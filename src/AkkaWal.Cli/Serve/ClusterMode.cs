using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
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
/// Single writer: until the partitions run as Cluster.Sharding entities, the whole pipeline runs as ONE cluster
/// singleton (on the oldest node) and every node's HTTP API talks to it through a singleton proxy, so two nodes never run
/// the same partition's persistent actor against the shared database. When the holder leaves, the singleton hands over
/// (the old one stops before the new one starts); when it dies, the split-brain resolver downs it first.
/// </para>
/// </summary>
internal static class ClusterMode
{
    /// <summary>Name of the singleton manager actor; the proxy every node asks is registered as the coordinator.</summary>
    private const string SingletonManagerName = "transactions-singleton";

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

    /// <summary>Starts the pipeline as a cluster singleton and registers this node's proxy to it as the coordinator,
    /// so the HTTP API works the same on every node.</summary>
    public static AkkaConfigurationBuilder WithAkkaWalTransactionsSingleton(this AkkaConfigurationBuilder builder)
    {
        // The defaults carry the serializer binding, which must be in the config before the system starts.
        builder.AddHocon(TransactionsConfig.Default, HoconAddMode.Append);
        builder.WithActors((system, registry) =>
        {
            system.ActorOf(ClusterSingletonManager.Props(
                    TransactionCoordinator.Props(TransactionSettings.Create(system)),
                    PoisonPill.Instance,
                    ClusterSingletonManagerSettings.Create(system)),
                SingletonManagerName);
            var proxy = system.ActorOf(ClusterSingletonProxy.Props("/user/" + SingletonManagerName,
                ClusterSingletonProxySettings.Create(system)), "transactions");
            registry.Register<TransactionCoordinator>(proxy);
        });
        return builder;
    }

    /// <summary>The health check that answers Healthy only while this node is Up in the cluster.</summary>
    public static IHealthChecksBuilder AddClusterMembership(this IHealthChecksBuilder builder) =>
        builder.Add(new HealthCheckRegistration("cluster",
            services => new ClusterMemberHealthCheck(services.GetRequiredService<ActorSystem>(), services.GetServices<IClusterReadiness>()),
            HealthStatus.Unhealthy, ["akkawal", "cluster"]));
}

/// <summary>
/// One more condition a node that is Up must meet before /health answers 200, registered in the host's services
/// (<c>services.AddSingleton&lt;IClusterReadiness, ...&gt;()</c>): the hook for "its shard region is ready" once the
/// partitions are Cluster.Sharding entities.
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
        return HealthCheckResult.Healthy("this node is Up in the cluster", data);
    }
}
