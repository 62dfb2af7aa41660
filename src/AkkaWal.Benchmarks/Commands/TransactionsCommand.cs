using System.CommandLine;
using AkkaWal.Benchmarks.Cluster;
using AkkaWal.Benchmarks.Transactions;

namespace AkkaWal.Benchmarks.Commands;

/// <summary>`AkkaWal.Benchmarks transactions`: the transaction pipeline benchmark (durable tx/s, commit latency with many
/// pending, rewrite-per-commit comparison), printed as the Markdown of docs/BENCHMARKS.md; with <c>--cluster N</c> the
/// HTTP service instead, as real `akkawal serve` processes on local AkkaWal and on PostgreSQL (<see cref="ClusterBenchmark"/>).</summary>
public static class TransactionsCommand
{
    public static Command Create()
    {
        var dir = new Option<DirectoryInfo?>("--dir")
        {
            Description = "Run the cells under this directory (each cell uses and deletes its own subdirectory). Default: a temporary directory.",
        };
        var quick = new Option<bool>("--quick") { Description = "Shorter cells and smaller rewrite sizes (about 1 minute instead of 3)." };
        var smoke = new Option<bool>("--smoke") { Description = "A few seconds with tiny cells: proves the benchmark runs; its figures mean nothing." };
        var partitions = new Option<int>("--partitions") { Description = "akkawal.transactions.partitions of the pipeline.", DefaultValueFactory = _ => 8 };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the Markdown to this file." };
        var cluster = new Option<int?>("--cluster")
        {
            Description = "Instead of the in-process pipeline: the HTTP service as real `akkawal serve` processes on loopback, side by side: " +
                          "1 node on local AkkaWal, 1 node on PostgreSQL and N nodes (2-5; 1: only the first two) in one Akka cluster on " +
                          "PostgreSQL. Starts a PostgreSQL of its own from Debian's binaries (/usr/lib/postgresql/*/bin) and deletes it after. " +
                          "Full: 3 repeats, about 10 minutes; --quick: about 3; --smoke: under a minute.",
        };
        var repeat = new Option<int?>("--repeat")
        {
            Description = "With --cluster: how many times every setup is started and measured (default 3; 1 with --quick or --smoke); " +
                          "figures are the median (min-max).",
        };
        var command = new Command("transactions",
            "Measure the transaction pipeline on the AkkaWal journal (durability = always): durable prepare+commit transactions/s, " +
            "p50/p99 commit latency and conflict rate with 1, 64 and 1024 clients, single-partition and two-partition; commit latency with 100 and 100,000 pending; and the older " +
            "rewrite-the-whole-file-per-commit approach for n = 100 to 3,200 side by side. With --cluster N: the HTTP service instead " +
            "(durable transactions/s, commit latency, CPU per transaction of 1 node on local AkkaWal, 1 node and N nodes on PostgreSQL). " +
            "Exit codes: 0 done, 1 failed, 2 usage, 130 cancelled.")
        {
            dir, quick, smoke, partitions, report, cluster, repeat,
        };
        command.SetAction((parsed, ct) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            if (parsed.GetValue(cluster) is not { } nodes)
                return parsed.GetValue(repeat) is null
                    ? RunAsync(parsed.GetValue(dir), parsed.GetValue(quick), parsed.GetValue(smoke), parsed.GetValue(partitions),
                        parsed.GetValue(report), output, error, ct)
                    : UsageAsync(error, "--repeat applies to --cluster only");
            if (parsed.GetValue(dir) is not null)
                return UsageAsync(error, "--dir does not apply to --cluster (the nodes and PostgreSQL use temporary directories)");
            var plan = parsed.GetValue(smoke) ? ClusterBenchmarkPlan.Smoke : parsed.GetValue(quick) ? ClusterBenchmarkPlan.Quick : ClusterBenchmarkPlan.Full;
            plan = plan with { Nodes = nodes, Partitions = parsed.GetValue(partitions), Repeats = parsed.GetValue(repeat) ?? plan.Repeats };
            return ClusterRunAsync(plan, parsed.GetValue(report), output, error, ct);
        });
        return command;
    }

    private static async Task<int> UsageAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync("transactions: " + message);
        return ExitCodes.Usage;
    }

    /// <summary>The plan's bounds, checked before anything starts; null when they hold.</summary>
    private static string? Invalid(ClusterBenchmarkPlan plan) =>
        plan.Nodes is < 1 or > ClusterBenchmarkPlan.MaxNodes ? $"--cluster must be 1 to {ClusterBenchmarkPlan.MaxNodes}, was {plan.Nodes}"
        : plan.Repeats < 1 ? $"--repeat must be at least 1, was {plan.Repeats}"
        : plan.Partitions < 1 ? "--partitions must be at least 1"
        : null;

    private static async Task<int> ClusterRunAsync(ClusterBenchmarkPlan plan, FileInfo? reportFile, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (Invalid(plan) is { } problem)
            return await UsageAsync(error, problem);
        if (!MachineInfo.EngineIsOptimized)
            await error.WriteLineAsync("warning: a Debug build; for figures to publish run with -c Release");
        return await MeasureAndReportAsync(async progress => ClusterBenchmarkMarkdown.Render(await new ClusterBenchmark(plan, progress).RunAsync(ct)),
            reportFile, output, error, ct);
    }

    private static async Task<int> RunAsync(DirectoryInfo? dir, bool quick, bool smoke, int partitions, FileInfo? reportFile, TextWriter output,
        TextWriter error, CancellationToken ct)
    {
        if (partitions < 1)
            return await UsageAsync(error, "--partitions must be at least 1");
        var plan = (smoke ? TransactionsBenchmarkPlan.Smoke : quick ? TransactionsBenchmarkPlan.Quick : TransactionsBenchmarkPlan.Full) with { Partitions = partitions };
        var root = Path.Combine(dir?.FullName ?? Path.GetTempPath(), $"akkawal-bench-tx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            return await MeasureAndReportAsync(async progress => TransactionsBenchmarkMarkdown.Render(await new TransactionsBenchmark(plan, root, progress).RunAsync(ct)),
                reportFile, output, error, ct);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Runs a benchmark with timestamped progress on the error stream, prints its Markdown (and writes it to
    /// <paramref name="reportFile"/>), and turns cancellation and failure into exit codes.</summary>
    private static async Task<int> MeasureAndReportAsync(Func<IProgress<string>, Task<string>> measure, FileInfo? reportFile, TextWriter output,
        TextWriter error, CancellationToken ct)
    {
        try
        {
            var markdown = await measure(new Progress<string>(step => error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {step}")));
            await output.WriteAsync(markdown);
            if (reportFile is not null)
                await File.WriteAllTextAsync(reportFile.FullName, markdown, ct);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("transactions: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or Npgsql.NpgsqlException)
        {
            await error.WriteLineAsync($"transactions: {e.Message}");
            return ExitCodes.ProblemsFound;
        }
    }
}
