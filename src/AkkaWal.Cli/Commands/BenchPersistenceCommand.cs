using System.CommandLine;
using AkkaWal.Benchmarks.Persistence;

namespace AkkaWal.Cli.Commands;

/// <summary>`akkawal bench-persistence`: Akka's journal performance workloads on AkkaWal, Akka.Persistence.Sql (SQLite) and the in-memory journal.</summary>
public static class BenchPersistenceCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Smaller sizes (a log of 100,000 instead of 1,000,000 events for the one-among-many recovery)." };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the results as Markdown to this file." };
        var command = new Command("bench-persistence",
            "Events/s of 1 actor Persist/PersistAll/PersistAsync/PersistAllAsync, of 10, 100 and 200 actors persisting at once, and " +
            "recovery time, for AkkaWal, Akka.Persistence.Sql on SQLite and Akka's in-memory journal; then recovery of one actor " +
            "among many in a big AkkaWal log. Exit codes: 0 done, 1 failed, 130 cancelled.")
        {
            quick, report,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var plan = parsed.GetValue(quick) ? PersistenceBenchPlan.Quick : PersistenceBenchPlan.Full;
            var output = parsed.InvocationConfiguration.Output;
            var root = Path.Combine(Path.GetTempPath(), $"akkawal-bench-persistence-{Guid.NewGuid():N}");
            Directory.CreateDirectory(root);
            try
            {
                var rows = await new PersistenceBenchmark(plan, root, new Progress<string>(s => output.WriteLine("  " + s))).RunAsync(ct);
                var markdown = PersistenceBenchmarkMarkdown.Render(plan, root, rows);
                await output.WriteLineAsync(markdown);
                if (parsed.GetValue(report) is { } file) await File.WriteAllTextAsync(file.FullName, markdown, ct);
                return 0;
            }
            catch (OperationCanceledException)
            {
                return 130;
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        });
        return command;
    }
}
