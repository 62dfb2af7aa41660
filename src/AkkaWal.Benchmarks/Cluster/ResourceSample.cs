using AkkaWal.Loopback;

namespace AkkaWal.Benchmarks.Cluster;

/// <summary>What the machine had spent at one moment of a cell: CPU of the node processes, of the PostgreSQL server
/// (postmaster and backends) and of this (client) process, and PostgreSQL's WAL insert position in bytes.</summary>
public sealed record ResourceSample(
    IReadOnlyDictionary<int, TimeSpan> NodeCpu,
    IReadOnlyDictionary<int, TimeSpan>? PostgresCpu,
    long? WalPosition,
    TimeSpan ClientCpu)
{
    public static async Task<ResourceSample> TakeAsync(RunningSetup setup)
    {
        var nodes = ProcessTreeCpu.Snapshot(setup.Nodes.Select(n => n.ProcessId));
        var postgres = setup.Postgres is { } server ? ProcessTreeCpu.Snapshot([server.ServerProcessId]) : null;
        var wal = setup.Postgres is { } db ? await WalPositionAsync(db) : null;
        return new ResourceSample(nodes, postgres, wal, Environment.CpuUsage.TotalTime);
    }

    /// <summary>Per committed transaction between <paramref name="before"/> and <paramref name="after"/>: CPU µs of the
    /// nodes, of PostgreSQL and of the client, and WAL bytes (NaN where not measured or nothing committed).</summary>
    public static (double NodeCpuMicros, double PostgresCpuMicros, double WalBytes, double ClientCpuMicros) PerTransaction(
        ResourceSample before, ResourceSample after, long commits)
    {
        if (commits <= 0) return (double.NaN, double.NaN, double.NaN, double.NaN);
        var postgres = before.PostgresCpu is not null && after.PostgresCpu is not null
            ? ProcessTreeCpu.Used(before.PostgresCpu, after.PostgresCpu).TotalMicroseconds / commits
            : double.NaN;
        var wal = before.WalPosition is { } start && after.WalPosition is { } end ? (double)(end - start) / commits : double.NaN;
        return (ProcessTreeCpu.Used(before.NodeCpu, after.NodeCpu).TotalMicroseconds / commits, postgres, wal,
            (after.ClientCpu - before.ClientCpu).TotalMicroseconds / commits);
    }

    private static async Task<long?> WalPositionAsync(PostgresServer server)
    {
        var bytes = await server.ScalarAsync("postgres", "SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn");
        return bytes is null ? null : Convert.ToInt64(bytes, System.Globalization.CultureInfo.InvariantCulture);
    }
}
