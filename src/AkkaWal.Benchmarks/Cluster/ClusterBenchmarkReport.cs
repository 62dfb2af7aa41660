using AkkaWal.Benchmarks.Transactions;

namespace AkkaWal.Benchmarks.Cluster;

/// <summary>One measured window of one setup. Latencies are of the commit alone (POST .../commit to its 200); per
/// transaction costs are NaN where not measured (PostgreSQL on local AkkaWal) or when nothing committed.</summary>
public sealed record ClusterCell(
    string Setup,
    int Repeat,
    TransactionShape Shape,
    int Clients,
    double TransactionsPerSecond,
    double CommitP50Ms,
    double CommitP99Ms,
    long Commits,
    double ConflictRate,
    long Errors,
    string? FirstError,
    double NodeCpuMicrosPerTx,
    double PostgresCpuMicrosPerTx,
    double WalBytesPerTx,
    double ClientCpuMicrosPerTx);

public sealed record ClusterBenchmarkReport(
    ClusterBenchmarkPlan Plan,
    MachineInfo Machine,
    DateTime StartedUtc,
    TimeSpan Duration,
    double? LoadAverageStart,
    double? LoadAverageEnd,
    string PostgresVersion,
    IReadOnlyList<ClusterCell> Cells)
{
    public long Errors => Cells.Sum(c => c.Errors);
}
