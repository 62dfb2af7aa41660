namespace AkkaWal.Benchmarks.Output;

/// <summary>The engine benchmark's charts: appends/s and p99 against writers for every system, and restart (open)
/// time against log size.</summary>
public static class BenchReportCharts
{
    /// <summary>Writes the charts beside <paramref name="markdownPath"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(BenchmarkReport report, string markdownPath)
    {
        var written = new List<string>();
        var summaries = report.Summaries();
        var writers = summaries.Select(s => s.Writers).Distinct().Order().ToArray();
        var categories = writers.Select(w => w.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        (string, double?[])[] Series(Func<CellSummary, double> figure) => summaries.Select(s => s.System).Distinct()
            .Select(system => (system, writers.Select(w => summaries.FirstOrDefault(s => s.System == system && s.Writers == w) is { } cell
                ? (double?)figure(cell) : null).ToArray()))
            .ToArray();
        if (summaries.Count > 0)
        {
            var appends = Charts.PathBeside(markdownPath, "appends");
            Charts.Lines(appends, $"Durable appends of {report.Plan.RecordSize}-byte records (median)", "writers", "appends/s",
                categories, Series(s => s.RecordsPerSecond.Median));
            var p99 = Charts.PathBeside(markdownPath, "p99");
            Charts.Lines(p99, "p99 acknowledgement latency (median of runs)", "writers", "p99 µs", categories, Series(s => s.P99Micros.Median));
            written.AddRange([appends, p99]);
        }
        if (report.OpenScans.Count > 0)
        {
            var restart = Charts.PathBeside(markdownPath, "restart");
            Charts.Points(restart, "Restart: time to open the log against its size", "log size (MB)", "open time (ms)",
                [("AkkaWal open", report.OpenScans.Select(o => (o.Bytes / 1e6, o.Seconds * 1000)).ToArray())]);
            written.Add(restart);
        }
        return written;
    }
}
