using AkkaWal.Benchmarks.Output;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>The journal benchmark's charts: events/s per journal and workload, and the big log's restart time
/// (engine open and one actor's recovery) against its size.</summary>
public static class JournalBenchmarkCharts
{
    /// <summary>Writes the charts beside <paramref name="markdownPath"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(JournalBenchmarkReport report, string markdownPath)
    {
        var written = new List<string>();
        var kinds = report.Cells.Select(c => c.Kind).Distinct().ToArray();
        if (report.Cells.Count > 0)
        {
            var events = Charts.PathBeside(markdownPath, "events");
            Charts.GroupedBars(events, "Events/s per journal and workload (median)", "events/s", report.Workloads,
                kinds.Select(k => (JournalUnderTest.Name(k),
                    report.Workloads.Select(w => report.Find(w, k) is { } cell ? (double?)cell.EventsPerSecond.Median : null).ToArray())).ToArray());
            written.Add(events);
        }
        if (report.BigLog is { } big)
        {
            var restart = Charts.PathBeside(markdownPath, "restart");
            var megabytes = big.LogBytes / 1e6;
            Charts.Points(restart, $"Restart on a log of {big.Events:N0} events: time against log size", "log size (MB)", "time (ms)",
            [
                ("engine open", [(megabytes, big.EngineOpenMillis)]),
                ("ActorSystem start", [(megabytes, big.StartMillis)]),
                ("one actor's recovery (median)", [(megabytes, big.Recovery.Median)]),
            ]);
            written.Add(restart);
        }
        if (report.Restarts is { Count: > 0 } restarts)
        {
            var scaling = Charts.PathBeside(markdownPath, "restart-scaling");
            Charts.Points(scaling, "Restart time against journal size", "events (millions)", "time (ms)",
            [
                ("with checkpoint", restarts.Select(r => (r.Events / 1e6, r.WithCheckpoint.Millis)).ToArray()),
                ("after a crash past the checkpoint", restarts.Select(r => (r.Events / 1e6, r.AfterCrash.Millis)).ToArray()),
                ("full rebuild", restarts.Select(r => (r.Events / 1e6, r.FullRebuild.Millis)).ToArray()),
                ("engine open", restarts.Select(r => (r.Events / 1e6, r.EngineOpenMillis)).ToArray()),
            ]);
            written.Add(scaling);
        }
        return written;
    }
}
