using System.Globalization;
using System.Text;
using AkkaWal.Benchmarks.Output;

namespace AkkaWal.Benchmarks.Cluster;

/// <summary>Renders a <see cref="ClusterBenchmarkReport"/> as Markdown (docs/BENCHMARKS.md, docs/SCALING.md): one row
/// per setup, shape and client count, median (min-max) over the repeats.</summary>
public static class ClusterBenchmarkMarkdown
{
    public static string Render(ClusterBenchmarkReport report)
    {
        var plan = report.Plan;
        var machine = report.Machine;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Run of {report.StartedUtc:yyyy-MM-dd HH:mm} UTC, plan `{plan.Name}` ({plan.Repeats} repeat(s), {plan.Warmup.TotalSeconds:0.#} s warm-up " +
            $"and {plan.Window.TotalSeconds:0.#} s measured per cell), {report.Duration.TotalSeconds:N0} s, 1-minute load average " +
            $"{Load(report.LoadAverageStart)} at start and {Load(report.LoadAverageEnd)} at end on {machine.Processors} cores ({machine.CpuModel}), " +
            $"{machine.OperatingSystem}, {machine.Runtime}{(machine.OptimizedBuild ? "" : " (DEBUG BUILD: do not publish)")}; temp file system " +
            $"{machine.FileSystem}; PostgreSQL {report.PostgresVersion} (initdb defaults: fsync and synchronous_commit on); " +
            $"{plan.Partitions} partitions, keys from a pool of {plan.KeyPool:N0}. Figures: median (min-max) over the repeats.");
        md.AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"**Every node, PostgreSQL and the clients share the {machine.Processors} cores of this one machine**: ");
        md.AppendLine("the multi-node rows show what the mechanism costs (a request routed to the partition's node, remoting, sharding, the shared database), not what more " +
            "machines would gain. Each setup is real `akkawal serve` processes on loopback, started fresh for every repeat and alone " +
            "on the machine while measured; client c sends its prepare and its commit to node c mod N. Durable: a 200 to a commit is " +
            "after fdatasync (local AkkaWal, durability = always) or after PostgreSQL's commit. Commit latency is POST " +
            "/transactions/{id}/commit to its 200 (the prepare before it not included). Conflicts: prepares refused with 409 " +
            "LockConflict (the client moves on to other keys). Errors: any other answer or no answer, warm-up included. CPU: " +
            "user + kernel time over the window per committed transaction, of the node processes, of every PostgreSQL server " +
            "process, and of this process (the HTTP clients); WAL: bytes of PostgreSQL WAL written per committed transaction.");
        md.AppendLine();
        md.AppendLine("| setup | shape | clients | transactions/s | commit p50 (ms) | commit p99 (ms) | conflicts | errors | node CPU (µs/tx) | PostgreSQL CPU (µs/tx) | PostgreSQL WAL (bytes/tx) | client CPU (µs/tx) |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in report.Cells.GroupBy(c => (c.Setup, c.Shape, c.Clients)))
        {
            Spread Of(Func<ClusterCell, double> figure) => Spread.Of(row.Select(figure).Where(v => !double.IsNaN(v)));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Key.Setup} | {ClusterBenchmark.Describe(row.Key.Shape)} | {row.Key.Clients} | {BenchFormat.Rate(Of(c => c.TransactionsPerSecond))} " +
                $"| {BenchFormat.PerAppend(Of(c => c.CommitP50Ms), "0.00")} | {BenchFormat.PerAppend(Of(c => c.CommitP99Ms), "0.00")} " +
                $"| {BenchFormat.PerAppend(Of(c => c.ConflictRate * 100), "0.0")}% | {row.Sum(c => c.Errors)} " +
                $"| {BenchFormat.PerAppend(Of(c => c.NodeCpuMicrosPerTx), "N0")} | {BenchFormat.PerAppend(Of(c => c.PostgresCpuMicrosPerTx), "N0")} " +
                $"| {BenchFormat.PerAppend(Of(c => c.WalBytesPerTx), "N0")} | {BenchFormat.PerAppend(Of(c => c.ClientCpuMicrosPerTx), "N0")} |");
        }
        var failed = report.Cells.Where(c => c.Errors > 0).ToList();
        if (failed.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"**{report.Errors:N0} errors.** The first of each failing cell:");
            md.AppendLine();
            foreach (var cell in failed)
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"- {cell.Setup}, {ClusterBenchmark.Describe(cell.Shape)}, {cell.Clients} clients, repeat {cell.Repeat}: {cell.Errors:N0} errors; first: `{cell.FirstError?.Replace('`', '\'')}`");
        }
        return md.ToString();
    }

    private static string Load(double? load) => load is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "unknown";
}
