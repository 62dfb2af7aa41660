using System.Globalization;
using System.Text;

namespace AkkaWal.Benchmarks.Output;

/// <summary>The results of `akkawal bench` as Markdown, the shape of docs/BENCHMARKS.md's figures.</summary>
public static class BenchReportMarkdown
{
    public static string Render(BenchmarkReport report)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine(inv, $"Plan `{report.Plan.Name}`: {report.Plan.Repeats} run(s), {report.Plan.Warmup.TotalMilliseconds:0} ms warm-up + " +
                           $"{report.Plan.Measure.TotalSeconds:0.##} s measured per cell; took {report.Elapsed.TotalSeconds:0} s.");
        md.AppendLine(inv, $"Machine: {report.Machine.Processors} cores, {report.Machine.CpuModel}; {report.Machine.FileSystem}; " +
                           $"{report.Machine.OperatingSystem}; {report.Machine.Runtime}; 1-minute load average {Load(report.LoadAtStart)} at start, {Load(report.LoadAtEnd)} at end.");
        if (!report.Machine.OptimizedBuild) md.AppendLine("**Debug build of the engine: these figures understate it.**");
        md.AppendLine();
        md.AppendLine("| system | writers | appends/s | p50 µs | p99 µs | CPU µs/append | allocated B/append |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in report.Summaries())
        {
            md.AppendLine(inv, $"| {row.System} | {row.Writers} | {BenchFormat.Rate(row.RecordsPerSecond)} | " +
                               $"{BenchFormat.Micros(row.P50Micros)} | {BenchFormat.Micros(row.P99Micros)} | " +
                               $"{BenchFormat.Cpu(row.CpuMicrosPerAppend)} | {BenchFormat.Bytes(row.BytesPerAppend)} |");
        }
        md.AppendLine();
        md.AppendLine("CPU and allocation per append are the whole process's (all threads: the system under test and the writers " +
                      "driving it) over each cell, warm-up included, divided by every append acknowledged in it.");
        if (report.History.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(inv, $"| writers | empty log appends/s | {BenchFormat.HistorySize(report.Plan.HistoryBytes)} history appends/s | cost ratio |");
            md.AppendLine("| ---: | ---: | ---: | ---: |");
            foreach (var group in report.History.GroupBy(h => h.Writers))
            {
                md.AppendLine(inv, $"| {group.Key} | {BenchFormat.Rate(Spread.Of(group.Select(h => h.Empty.RecordsPerSecond)))} | " +
                                   $"{BenchFormat.Rate(Spread.Of(group.Select(h => h.WithHistory.RecordsPerSecond)))} | " +
                                   $"{BenchFormat.Ratio(Spread.Of(group.Select(h => h.CostRatio)))} |");
            }
        }
        if (report.OpenScans.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(inv, $"Open-time scan of {report.Plan.OpenScanRecords:N0} records ({report.OpenScans[0].Bytes / 1e6:N0} MB): " +
                               $"{BenchFormat.Ratio(report.OpenScanRate())} GB/s for the whole open; {BenchFormat.Ratio(report.ScanOnlyRate())} GB/s for its recovery scan alone.");
        }
        md.AppendLine();
        md.AppendLine("| target | measured (medians) | verdict |");
        md.AppendLine("| --- | --- | --- |");
        foreach (var t in report.Targets())
            md.AppendLine(inv, $"| {t.Target} | {t.Measured} | {BenchFormat.Verdict(t.Met)} |");
        return md.ToString();
    }

    private static string Load(double? load) => load?.ToString("0.0", CultureInfo.InvariantCulture) ?? "unknown";
}
