using System.CommandLine;
using AkkaWal.Benchmarks.Transactions;

namespace AkkaWal.Benchmarks.Commands;

/// <summary>`AkkaWal.Benchmarks transactions`: the transaction pipeline benchmark (durable tx/s, commit latency with many
/// pending, rewrite-per-commit comparison), printed as the Markdown of docs/BENCHMARKS.md.</summary>
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
        var command = new Command("transactions",
            "Measure the transaction pipeline on the AkkaWal journal (durability = always): durable prepare+commit transactions/s, " +
            "p50/p99 commit latency and conflict rate with 1, 64 and 1024 clients, single-partition and two-partition; commit latency with 100 and 100,000 pending; and the older " +
            "rewrite-the-whole-file-per-commit approach for n = 100 to 3,200 side by side. Exit codes: 0 done, 1 failed, 2 usage, 130 cancelled.")
        {
            dir, quick, smoke, partitions, report,
        };
        command.SetAction((parsed, ct) => RunAsync(parsed.GetValue(dir), parsed.GetValue(quick), parsed.GetValue(smoke), parsed.GetValue(partitions),
            parsed.GetValue(report), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, ct));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo? dir, bool quick, bool smoke, int partitions, FileInfo? reportFile, TextWriter output,
        TextWriter error, CancellationToken ct)
    {
        if (partitions < 1)
        {
            await error.WriteLineAsync("transactions: --partitions must be at least 1");
            return ExitCodes.Usage;
        }
        var plan = (smoke ? TransactionsBenchmarkPlan.Smoke : quick ? TransactionsBenchmarkPlan.Quick : TransactionsBenchmarkPlan.Full) with { Partitions = partitions };
        var root = Path.Combine(dir?.FullName ?? Path.GetTempPath(), $"akkawal-bench-tx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var progress = new Progress<string>(step => error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {step}"));
            var result = await new TransactionsBenchmark(plan, root, progress).RunAsync(ct);
            var markdown = TransactionsBenchmarkMarkdown.Render(result);
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
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            await error.WriteLineAsync($"transactions: {e.Message}");
            return ExitCodes.ProblemsFound;
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
