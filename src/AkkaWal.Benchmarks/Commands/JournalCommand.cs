using System.CommandLine;
using AkkaWal.Benchmarks.Journal;

namespace AkkaWal.Benchmarks.Commands;

/// <summary>
/// `AkkaWal.Benchmarks journal`: AkkaWal, Akka.Persistence.Sql on SQLite and the in-memory journal on JournalPerfSpec's
/// workloads, repeated (median and range), with a raw write+fdatasync loop, the engine's group-commit metrics and the
/// one-among-10,000 recovery in the same run.
/// </summary>
public static class JournalCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "One repeat and fewer SQLite events: under a minute instead of about 2." };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the results as Markdown to this file (the format of docs/BENCHMARKS.md), and SVG charts beside it (FILE-events.svg, FILE-restart.svg)." };
        var restartOnly = new Option<bool>("--restart-only") { Description = "Only the restart cells (journals of the plan's sizes restarted with the checkpoint, after a crash and with a full rebuild), with the journal's own log of each open." };
        var command = new Command("journal",
            "Events/s of 1 actor Persist/PersistAll/PersistAsync/PersistAllAsync and of 10, 100 and 200 actors persisting at once, and " +
            "the recovery of 100 x 100 events, for AkkaWal (durability always), Akka.Persistence.Sql on SQLite and Akka's in-memory journal, " +
            "repeated (median and range); a raw write+fdatasync loop; recovery of one actor among 10,000 in a log of 1,000,000 events; " +
            "the targets' verdicts. Exit codes: 0 done, 1 failed, 130 cancelled.")
        {
            quick, report, restartOnly,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var plan = parsed.GetValue(quick) ? JournalBenchmarkPlan.Quick : JournalBenchmarkPlan.Full;
            var output = parsed.InvocationConfiguration.Output;
            if (!MachineInfo.EngineIsOptimized)
                await output.WriteLineAsync("warning: a Debug build of the engine; for figures to publish run with -c Release");
            var root = Path.Combine(Path.GetTempPath(), $"akkawal-bench-journal-{Guid.NewGuid():N}");
            try
            {
                if (parsed.GetValue(restartOnly))
                {
                    var restarts = new List<RestartResult>();
                    foreach (var events in plan.RestartEventCounts)
                        restarts.Add(await RestartScaling.RunAsync(events, plan.RestartEventsSinceCheckpoint, Path.Combine(root, $"restart-{events}"), ct, logOpens: true));
                    var table = new System.Text.StringBuilder();
                    JournalBenchmarkMarkdown.RenderRestarts(restarts, table);
                    await output.WriteLineAsync(table.ToString());
                    return ExitCodes.Ok;
                }
                var result = await new JournalBenchmark(plan, root, new Progress<string>(s => output.WriteLine("  " + s))).RunAsync(ct);
                var markdown = JournalBenchmarkMarkdown.Render(result);
                await output.WriteLineAsync(markdown);
                if (parsed.GetValue(report) is { } file)
                {
                    await File.WriteAllTextAsync(file.FullName, markdown, ct);
                    foreach (var chart in JournalBenchmarkCharts.Write(result, file.FullName))
                        await output.WriteLineAsync("chart written to " + chart);
                }
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Cancelled;
            }
            finally
            {
                if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            }
        });
        return command;
    }
}
