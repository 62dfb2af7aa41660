using System.Globalization;
using System.Text;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>Renders a <see cref="JournalBenchmarkReport"/> as the Journal section of docs/BENCHMARKS.md.</summary>
public static class JournalBenchmarkMarkdown
{
    public static string Render(JournalBenchmarkReport report)
    {
        var plan = report.Plan;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Run of {report.StartedUtc:yyyy-MM-dd HH:mm} UTC, plan `{plan.Name}` ({plan.Repeats} repeat(s)), {report.Duration.TotalSeconds:N0} s, " +
            $"1-minute load average {Load(report.LoadAverageStart)} at start and {Load(report.LoadAverageEnd)} at end on " +
            $"{report.Machine.Processors} cores{(report.Machine.OptimizedBuild ? "" : " (DEBUG BUILD: do not publish)")}. " +
            $"SQLite: {report.SqliteSettings}. Figures: median (min-max) over the repeats.");
        md.AppendLine();
        var kinds = JournalBenchmarkPlan.Journals;
        AppendWorkloadTable(report, md, "events/s (events)",
            cell => $"{Format(cell.EventsPerSecond, "N0")} ({cell.Events.ToString("N0", CultureInfo.InvariantCulture)})");
        md.AppendLine();
        RenderCosts(report, md);
        md.Append(CultureInfo.InvariantCulture, $"Recovery of {plan.RecoveryActors} x {plan.RecoveryEventsPerActor} events, ms until the last actor's RecoveryCompleted:");
        foreach (var kind in kinds)
        {
            var cell = report.Find(JournalBenchmarkReport.RecoveryWorkload, kind);
            if (cell is not null) md.Append(CultureInfo.InvariantCulture, $" {JournalUnderTest.ShortName(kind)} {Format(cell.Milliseconds, "N1")};");
        }
        md.AppendLine();
        md.AppendLine();
        if (report.AkkaWalSyncs.Count > 0)
        {
            md.AppendLine("Inside AkkaWal's write cells (engine metrics): fdatasyncs per acknowledged event, records per group commit " +
                          "(one write + one fdatasync) and the mean fdatasync time:");
            md.AppendLine();
            md.AppendLine("| workload | fdatasyncs / event | records / group | mean fdatasync (ms) |");
            md.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var workload in report.Workloads)
            {
                if (!report.AkkaWalSyncs.TryGetValue(workload, out var samples)) continue;
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {workload} | {Format(Spread.Of(samples.Select(x => x.FsyncsPerEvent)), "0.000")} | " +
                    $"{Format(Spread.Of(samples.Select(x => x.RecordsPerGroup)), "N1")} | {Format(Spread.Of(samples.Select(x => x.MeanFsyncMillis)), "N2")} |");
            }
            md.AppendLine();
        }
        if (report.RawRuns.Count > 0)
        {
            var p50 = Spread.Of(report.RawRuns.Select(r => r.P50Micros));
            var p99 = Spread.Of(report.RawRuns.Select(r => r.P99Micros));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Raw write+fdatasync loop (100-byte records, 1 per fdatasync, {plan.RawWindow.TotalSeconds:0.#} s windows, right before AkkaWal's " +
                $"1-actor Persist): {Format(report.RawRecordsPerSecond, "N0")} records/s, p50 {Format(p50, "N0")} µs, p99 {Format(p99, "N0")} µs.");
            md.AppendLine();
        }
        if (report.BigLog is { } big)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"One actor among {big.Actors:N0} in an AkkaWal log of {big.Events:N0} events ({big.LogBytes / 1e6:N0} MB of records, written in " +
                $"{big.BuildSeconds:N1} s through the journal actor): restart (ActorSystem, log open and index rebuild, one recovery of an unused id) " +
                $"{big.StartMillis:N0} ms, against {big.EngineOpenMillis:N0} ms for the engine's open of the same log alone and {big.EngineReadAllMillis:N0} ms for reading all its records once " +
                $"(the rest of the restart is the journal's decoding and indexing of every record, and the ActorSystem start); then recovery of one actor (100 events) {Format(big.Recovery, "N1")} ms over {big.RecoveryMillis.Count} " +
                $"different actors ({string.Join(", ", big.RecoveryMillis.Select(m => m.ToString("N1", CultureInfo.InvariantCulture)))} ms).");
            md.AppendLine();
        }
        if (report.Restarts is { Count: > 0 } restarts) RenderRestarts(restarts, md);
        md.AppendLine("| target | measured (medians) | verdict |");
        md.AppendLine("| --- | --- | --- |");
        foreach (var v in JournalTargets.Evaluate(report))
            md.AppendLine(CultureInfo.InvariantCulture, $"| {v.Target} | {v.Measured} | {(v.Met switch { true => "met", false => "missed", null => "not measured" })} |");
        return md.ToString();
    }

    /// <summary>The restart table: restart time against journal size, with and without the checkpoint, beside the engine's open.</summary>
    public static void RenderRestarts(IReadOnlyList<RestartResult> restarts, StringBuilder md)
    {
        md.AppendLine("Restart (ActorSystem start, log open, index load or rebuild, one recovery of an unused id) against journal size; " +
                      "each timed 5 times: the median restart's wall time (with the range of the five), and its process CPU time and bytes allocated; " +
                      "the engine's open is the median of 5:");
        md.AppendLine();
        md.AppendLine("| events | log MB | with checkpoint ms (range; CPU ms, MB alloc) | after a crash: events since checkpoint, ms (range; CPU ms, MB alloc) | full rebuild ms (range; CPU ms, MB alloc) | engine open ms |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        static string T(RestartTiming t) => string.Create(CultureInfo.InvariantCulture, $"{t.Millis:N0} ({t.MinMillis:N0}-{t.MaxMillis:N0}; {t.CpuMillis:N0}, {t.AllocatedMegabytes:N0})");
        foreach (var r in restarts)
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Events:N0} | {r.LogBytes / 1e6:N0} | {T(r.WithCheckpoint)} | {r.EventsSinceCheckpoint:N0}: {T(r.AfterCrash)} | {T(r.FullRebuild)} | {r.EngineOpenMillis:N0} |");
        md.AppendLine();
    }

    /// <summary>What each cell cost the whole process (journal, actors and benchmark driver alike), per event.</summary>
    private static void RenderCosts(JournalBenchmarkReport report, StringBuilder md)
    {
        if (!report.Cells.Any(c => c.HasCosts)) return;
        md.AppendLine("Cost per event of each cell to the whole process: CPU time (all threads, user + kernel) µs / event, bytes allocated " +
                      "(GC.GetTotalAllocatedBytes) / event, and the GC pause share of the cell's wall time (GC.GetTotalPauseDuration):");
        md.AppendLine();
        AppendWorkloadTable(report, md, "CPU µs / B / GC %", cell => cell.HasCosts
            ? $"{Format(cell.CpuMicrosPerEvent, "N1")} / {Format(cell.BytesPerEvent, "N0")} / {Format(cell.GcPausePercent, "N1")}"
            : null);
        md.AppendLine();
    }

    /// <summary>One row per workload, one column per journal; a missing cell (or a null text) shows as "-".</summary>
    private static void AppendWorkloadTable(JournalBenchmarkReport report, StringBuilder md, string columnTitle, Func<JournalCell, string?> text)
    {
        var kinds = JournalBenchmarkPlan.Journals;
        md.AppendLine("| workload | " + string.Join(" | ", kinds.Select(k => $"{JournalUnderTest.ShortName(k)}: {columnTitle}")) + " |");
        md.AppendLine("| --- |" + string.Concat(kinds.Select(_ => " ---: |")));
        foreach (var workload in report.Workloads)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {workload} |");
            foreach (var kind in kinds)
                md.Append(report.Find(workload, kind) is { } cell && text(cell) is { } t ? $" {t} |" : " - |");
            md.AppendLine();
        }
    }

    private static string Load(double? load) => load is { } l ? l.ToString("0.0", CultureInfo.InvariantCulture) : "unknown";

    private static string Format(Spread s, string format) => s.Runs <= 1
        ? s.Median.ToString(format, CultureInfo.InvariantCulture)
        : $"{s.Median.ToString(format, CultureInfo.InvariantCulture)} ({s.Min.ToString(format, CultureInfo.InvariantCulture)}-{s.Max.ToString(format, CultureInfo.InvariantCulture)})";
}
