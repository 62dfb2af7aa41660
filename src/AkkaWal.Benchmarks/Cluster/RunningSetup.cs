using AkkaWal.Loopback;

namespace AkkaWal.Benchmarks.Cluster;

/// <summary>
/// A <see cref="ClusterSetup"/> up and healthy: its `akkawal serve` processes (each on a temporary data directory) and,
/// on PostgreSQL, a fresh database of its own on the benchmark's server. Disposing kills every node and deletes its data;
/// a start that fails does the same before it throws.
/// </summary>
public sealed class RunningSetup : IAsyncDisposable
{
    private static readonly TimeSpan HealthyTimeout = TimeSpan.FromMinutes(3);

    private RunningSetup(ClusterSetup setup, IReadOnlyList<ServeNode> nodes, PostgresServer? postgres)
    {
        Setup = setup;
        Nodes = nodes;
        Postgres = postgres;
    }

    public ClusterSetup Setup { get; }
    public IReadOnlyList<ServeNode> Nodes { get; }

    /// <summary>The server this setup's database lives on; null on local AkkaWal.</summary>
    public PostgresServer? Postgres { get; }

    public static async Task<RunningSetup> StartAsync(ClusterSetup setup, int partitions, PostgresServer? postgres, CancellationToken ct)
    {
        var partitionsSetting = $"akkawal.transactions.partitions={partitions}";
        List<ServeNode> nodes;
        if (setup.OnPostgres)
        {
            if (postgres is null) throw new ArgumentNullException(nameof(postgres), "a setup on PostgreSQL needs the server");
            var database = await postgres.CreateDatabaseAsync("bench");
            var ports = Enumerable.Range(0, setup.Nodes).Select(_ => LoopbackPort.Free()).ToArray();
            nodes = ports.Select(p => (ServeNode)new ClusterNode(p, [ports[0]], database, partitionsSetting)).ToList();
        }
        else
        {
            // The default configuration (hocon/akkawal.conf: durability = always), as `akkawal serve` runs out of the box.
            nodes = [new ServeNode(["--set", partitionsSetting], "local AkkaWal node")];
        }
        var running = new RunningSetup(setup, nodes, setup.OnPostgres ? postgres : null);
        try
        {
            // The first node is the seed (and the oldest, holding the shard coordinator); the others join it.
            await nodes[0].StartAsync(ct);
            await Task.WhenAll(nodes.Skip(1).Select(n => n.StartAsync(ct)));
            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync(HealthyTimeout, ct)));
            return running;
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
            await node.DisposeAsync();
    }
}
