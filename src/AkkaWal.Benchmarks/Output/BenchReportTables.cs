using Spectre.Console;

namespace AkkaWal.Benchmarks.Output;

/// <summary>The results of `akkawal bench` as console tables.</summary>
internal static class BenchReportTables
{
    public static void Write(IAnsiConsole console, BenchmarkReport report)
    {
        var runs = report.Plan.Repeats == 1 ? "1 run" : $"median (min-max) of {report.Plan.Repeats} runs";
        var appends = new Table().Title($"Durable appends of {report.Plan.RecordSize}-byte records, {runs}")
            .AddColumns("system", "writers", "appends/s", "p50 µs", "p99 µs", "CPU µs/append", "alloc B/append");
        foreach (var row in report.Summaries())
        {
            appends.AddRow(Markup.Escape(row.System), row.Writers.ToString(), BenchFormat.Rate(row.RecordsPerSecond),
                BenchFormat.Micros(row.P50Micros), BenchFormat.Micros(row.P99Micros),
                BenchFormat.Cpu(row.CpuMicrosPerAppend), BenchFormat.Bytes(row.BytesPerAppend));
        }
        console.Write(appends);

        if (report.History.Count > 0)
        {
            var history = new Table().Title($"AkkaWal append rate with {BenchFormat.HistorySize(report.Plan.HistoryBytes)} of history vs an empty log")
                .AddColumns("writers", "empty appends/s", "history appends/s", "cost ratio");
            foreach (var group in report.History.GroupBy(h => h.Writers))
            {
                history.AddRow(group.Key.ToString(),
                    BenchFormat.Rate(Spread.Of(group.Select(h => h.Empty.RecordsPerSecond))),
                    BenchFormat.Rate(Spread.Of(group.Select(h => h.WithHistory.RecordsPerSecond))),
                    BenchFormat.Ratio(Spread.Of(group.Select(h => h.CostRatio))));
            }
            console.Write(history);
        }

        if (report.OpenScans.Count > 0)
        {
            var scan = report.OpenScanRate();
            console.MarkupLine($"Open-time scan of {report.Plan.OpenScanRecords:N0} records ({report.OpenScans[0].Bytes / 1e6:N0} MB): " +
                               $"[bold]{BenchFormat.Ratio(scan)} GB/s[/] for the whole open; {BenchFormat.Ratio(report.ScanOnlyRate())} GB/s for its recovery scan alone");
        }

        var targets = new Table().Title("Targets (issue 2)").AddColumns("target", "measured (medians)", "verdict");
        foreach (var t in report.Targets())
        {
            var verdict = t.Met switch { true => "[green]met[/]", false => "[red]MISSED[/]", null => "[grey]not measured[/]" };
            targets.AddRow(Markup.Escape(t.Target), Markup.Escape(t.Measured), verdict);
        }
        console.Write(targets);
        console.MarkupLine($"[grey]{Markup.Escape(report.Machine.Processors + " cores, " + report.Machine.CpuModel + ", " + report.Machine.FileSystem)}; " +
                           $"load average {report.LoadAtStart:0.0} -> {report.LoadAtEnd:0.0}; took {report.Elapsed.TotalSeconds:N0} s[/]");
    }
}
