using System.Diagnostics;
using AkkaWal.Benchmarks.Transactions;
using AkkaWal.Loopback;

namespace AkkaWal.Benchmarks.Cluster;

/// <summary>
/// The HTTP service side by side (not a test): durable transactions/s, commit latency and CPU per transaction of
/// 1 `akkawal serve` node on local AkkaWal, 1 node on PostgreSQL and N nodes in one Akka cluster on PostgreSQL, all
/// real processes on loopback, driven over HTTP by concurrent clients in this process. One PostgreSQL server of its own
/// (Debian's binaries, a temporary directory) serves every PostgreSQL setup, each on a fresh database. For every repeat
/// each setup is started fresh, measured for every shape and client count, and stopped before the next starts, so
/// setups never share the CPU. Everything started is stopped and deleted at the end, on failure and on cancellation.
/// </summary>
public sealed class ClusterBenchmark(ClusterBenchmarkPlan plan, IProgress<string>? progress = null)
{
    private int _cell;

    public async Task<ClusterBenchmarkReport> RunAsync(CancellationToken ct = default)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadStart = MachineInfo.LoadAverage();
        var cells = new List<ClusterCell>();
        // One HTTP connection per client and node; no proxy on loopback.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        progress?.Report("starting PostgreSQL");
        var postgres = new PostgresServer();
        try
        {
            await postgres.InitializeAsync(); // a few seconds; cancellation is seen right after
            ct.ThrowIfCancellationRequested();
            var version = (string?)await postgres.ScalarAsync("postgres", "SHOW server_version") ?? "unknown";
            for (var repeat = 1; repeat <= plan.Repeats; repeat++)
                foreach (var setup in plan.Setups)
                {
                    progress?.Report($"repeat {repeat}/{plan.Repeats}: starting {setup.Name}");
                    await using var running = await RunningSetup.StartAsync(setup, plan.Partitions, postgres, ct);
                    foreach (var shape in plan.Shapes)
                        foreach (var clients in plan.Clients)
                        {
                            progress?.Report($"repeat {repeat}/{plan.Repeats}: {setup.Name}, {Describe(shape)}, {clients} clients");
                            cells.Add(await MeasureAsync(http, running, repeat, shape, clients, ct));
                        }
                }
            return new ClusterBenchmarkReport(plan, MachineInfo.Describe(Path.GetTempPath()), started, clock.Elapsed, loadStart,
                MachineInfo.LoadAverage(), version, cells);
        }
        finally
        {
            progress?.Report("stopping PostgreSQL");
            try
            {
                await postgres.DisposeAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                // Reported, not thrown: it must not hide why the run ended; the directory is deleted either way.
                progress?.Report("PostgreSQL did not stop cleanly: " + e.Message);
            }
        }
    }

    public static string Describe(TransactionShape shape) => shape == TransactionShape.SinglePartition ? "single-partition" : "two-partition";

    private async Task<ClusterCell> MeasureAsync(HttpClient http, RunningSetup setup, int repeat, TransactionShape shape, int clients,
        CancellationToken ct)
    {
        var keys = new TransactionKeyPool(plan.KeyPool, plan.Partitions);
        var workload = HttpWorkload.Start(http, setup.Nodes.Select(n => n.BaseAddress).ToList(), keys, $"cell{++_cell}", shape, clients, ct);
        WorkloadCounts counts;
        ResourceSample before, after;
        TimeSpan elapsed;
        try
        {
            await Task.Delay(plan.Warmup, ct);
            before = await ResourceSample.TakeAsync(setup);
            var window = Stopwatch.StartNew();
            workload.BeginWindow();
            await Task.Delay(plan.Window, ct);
            workload.EndWindow();
            elapsed = window.Elapsed;
            after = await ResourceSample.TakeAsync(setup);
        }
        finally
        {
            counts = await workload.StopAsync();
        }
        var (p50, p99) = LatencyPercentiles.Summarize(counts.CommitLatencyTicks);
        var (nodeCpu, postgresCpu, wal, clientCpu) = ResourceSample.PerTransaction(before, after, counts.Commits);
        return new ClusterCell(setup.Setup.Name, repeat, shape, clients, counts.Commits / elapsed.TotalSeconds, p50 / 1000, p99 / 1000,
            counts.Commits, counts.Prepares == 0 ? 0 : (double)counts.Conflicts / counts.Prepares, counts.Errors, counts.FirstError,
            nodeCpu, postgresCpu, wal, clientCpu);
    }
}
