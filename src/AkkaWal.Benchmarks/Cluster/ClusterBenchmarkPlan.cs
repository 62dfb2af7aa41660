using AkkaWal.Benchmarks.Transactions;

namespace AkkaWal.Benchmarks.Cluster;

/// <summary>What `transactions --cluster N` runs: every setup (<see cref="Setups"/>) for every repeat, every shape and
/// every client count, each cell a warm-up then a measured window.</summary>
public sealed record ClusterBenchmarkPlan(
    string Name,
    int Repeats,
    int[] Clients,
    TransactionShape[] Shapes,
    TimeSpan Warmup,
    TimeSpan Window,
    int Nodes = 3,
    int Partitions = 8,
    int KeyPool = 100_000)
{
    public const int MaxNodes = 5;

    public static ClusterBenchmarkPlan Full { get; } = new("full", 3, [1, 16, 64], [TransactionShape.SinglePartition, TransactionShape.TwoPartitions],
        TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6));

    public static ClusterBenchmarkPlan Quick { get; } = new("quick", 1, [1, 16, 64], [TransactionShape.SinglePartition, TransactionShape.TwoPartitions],
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));

    /// <summary>Proves the command runs (PostgreSQL, every setup, both shapes) in well under a minute; its figures mean nothing.</summary>
    public static ClusterBenchmarkPlan Smoke { get; } = new("smoke", 1, [2], [TransactionShape.SinglePartition, TransactionShape.TwoPartitions],
        TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), KeyPool: 1000);

    /// <summary>1 node on local AkkaWal, 1 node on PostgreSQL and, when <see cref="Nodes"/> is more than 1, that many
    /// nodes in one cluster on PostgreSQL.</summary>
    public IReadOnlyList<ClusterSetup> Setups =>
        Nodes > 1
            ? [ClusterSetup.LocalAkkaWal, new ClusterSetup(1, OnPostgres: true), new ClusterSetup(Nodes, OnPostgres: true)]
            : [ClusterSetup.LocalAkkaWal, new ClusterSetup(1, OnPostgres: true)];
}

/// <summary>One row group of the report: <paramref name="Nodes"/> `akkawal serve` processes, on the default local AkkaWal
/// journal or in cluster mode on the shared PostgreSQL.</summary>
public sealed record ClusterSetup(int Nodes, bool OnPostgres)
{
    public static ClusterSetup LocalAkkaWal { get; } = new(1, OnPostgres: false);

    public string Name => $"{Nodes} node{(Nodes == 1 ? "" : "s")}, {(OnPostgres ? "PostgreSQL" : "local AkkaWal")}";
}
