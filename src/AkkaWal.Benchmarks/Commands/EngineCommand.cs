using System.CommandLine;
using AkkaWal.Benchmarks.Output;
using Spectre.Console;

namespace AkkaWal.Benchmarks.Commands;

/// <summary>`AkkaWal.Benchmarks engine`: the engine benchmark with raw fdatasync and FasterLog side by side.</summary>
public static class EngineCommand
{
    public static Command Create()
    {
        var dir = new Option<DirectoryInfo?>("--dir")
        {
            Description = "Write the logs here (an empty or new directory) and keep the AkkaWal logs afterwards for verify, dump " +
                          "and stats. Default: a temporary directory, deleted at the end.",
        };
        var quick = new Option<bool>("--quick")
        {
            Description = "A short run (one repeat, shorter windows, smaller history and scan log): about 30 seconds instead of 3 minutes.",
        };
        var report = new Option<FileInfo?>("--report")
        {
            Description = "Also write the results as Markdown to this file (the format of docs/BENCHMARKS.md), and SVG charts beside it (FILE-appends.svg, FILE-p99.svg, FILE-restart.svg).",
        };
        var command = new Command("engine",
            "Measure durable appends/s and p50/p99 acknowledgement latency of 100-byte records with 1, 16, 64 and 256 writers " +
            "for a raw write+fdatasync loop, FasterLog and AkkaWal on the same disk; then the cost of appending with history " +
            "and the open-time scan rate. Exit codes: 0 done, 1 failed, 2 usage error, 3 directory unusable, 130 cancelled.")
        {
            dir, quick, report,
        };
        command.SetAction((parsed, ct) => RunAsync(parsed.GetValue(dir), parsed.GetValue(quick), parsed.GetValue(report),
            parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, ct));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo? dir, bool quick, FileInfo? reportFile, TextWriter output, TextWriter error,
        CancellationToken ct)
    {
        var plan = quick ? BenchmarkPlan.Quick : BenchmarkPlan.Full;
        var keep = dir is not null;
        var root = dir?.FullName ?? Path.Combine(Path.GetTempPath(), $"akkawal-bench-{Guid.NewGuid():N}");
        if (keep && Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            await error.WriteLineAsync($"engine: {root} is not empty; give an empty or new directory");
            return ExitCodes.CouldNotRun;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.MarkupLine($"[bold]engine[/] ({plan.Name}): logs in [blue]{Markup.Escape(root)}[/]{(keep ? " (kept)" : " (temporary)")}");
        if (!MachineInfo.EngineIsOptimized)
            console.MarkupLine("[yellow]warning: a Debug build of the engine; for figures to publish run with -c Release[/]");
        try
        {
            BenchmarkReport result = null!;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("starting", maxValue: plan.StepCount);
                    var progress = new SynchronousProgress<BenchmarkProgress>(p =>
                    {
                        task.Value = p.Completed;
                        task.Description = Markup.Escape(p.Step);
                    });
                    result = await new EngineBenchmark(plan, root, keep, progress).RunAsync(ct);
                    task.Value = task.MaxValue;
                });
            BenchReportTables.Write(console, result);
            if (reportFile is not null)
            {
                await File.WriteAllTextAsync(reportFile.FullName, BenchReportMarkdown.Render(result), ct);
                console.MarkupLine($"Markdown report written to [blue]{Markup.Escape(reportFile.FullName)}[/]");
                foreach (var chart in BenchReportCharts.Write(result, reportFile.FullName))
                    console.MarkupLine($"chart written to [blue]{Markup.Escape(chart)}[/]");
            }
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("engine: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"engine: I/O error under {root}: {e.Message}");
            return ExitCodes.CouldNotRun;
        }
        catch (UnauthorizedAccessException e)
        {
            await error.WriteLineAsync($"engine: no permission under {root}: {e.Message}");
            return ExitCodes.CouldNotRun;
        }
        finally
        {
            if (!keep && Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the pool and reorder updates).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
