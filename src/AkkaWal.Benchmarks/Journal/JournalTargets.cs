namespace AkkaWal.Benchmarks.Journal;

/// <summary>The journal targets of issue 3, judged on the medians of one run.</summary>
public static class JournalTargets
{
    public static IReadOnlyList<TargetVerdict> Evaluate(JournalBenchmarkReport report)
    {
        var hundred = JournalBenchmarkReport.Concurrent(100);
        var wal100 = report.Find(hundred, JournalKind.AkkaWal)?.EventsPerSecond.Median;
        var verdicts = new List<TargetVerdict>
        {
            AtLeast("100 actors x 100 Persist: AkkaWal >= 0.7x in-memory journal events/s",
                wal100, report.Find(hundred, JournalKind.InMemory)?.EventsPerSecond.Median, 0.7, "events/s"),
            AtLeast("100 actors x 100 Persist: AkkaWal >= 100x Akka.Persistence.Sql on SQLite events/s",
                wal100, report.Find(hundred, JournalKind.SqlSqlite)?.EventsPerSecond.Median, 100, "events/s"),
            AtLeast("1 actor sequential Persist: AkkaWal >= 0.8x raw write+fdatasync loop (goal 0.9x)",
                report.Find(JournalBenchmarkReport.Sequential(PersistMode.Persist), JournalKind.AkkaWal)?.EventsPerSecond.Median,
                report.RawRuns.Count > 0 ? report.RawRecordsPerSecond.Median : null, 0.8, "/s"),
        };
        var walCpu = report.Find(hundred, JournalKind.AkkaWal) is { HasCosts: true } w1 ? w1.CpuMicrosPerEvent.Median : (double?)null;
        var memCpu = report.Find(hundred, JournalKind.InMemory) is { HasCosts: true } m1 ? m1.CpuMicrosPerEvent.Median : (double?)null;
        const string cpuTarget = "100 actors x 100 Persist: AkkaWal CPU / event <= 1.5x in-memory journal's";
        verdicts.Add(walCpu is { } wc && memCpu is { } mc && mc > 0
            ? new TargetVerdict(cpuTarget, $"{wc / mc:0.00}x ({wc:N1} vs {mc:N1} µs)", wc / mc <= 1.5)
            : new TargetVerdict(cpuTarget, "not measured", null));
        var walRecovery = report.Find(JournalBenchmarkReport.RecoveryWorkload, JournalKind.AkkaWal)?.Milliseconds.Median;
        var memRecovery = report.Find(JournalBenchmarkReport.RecoveryWorkload, JournalKind.InMemory)?.Milliseconds.Median;
        var target = $"recovery of {report.Plan.RecoveryActors} x {report.Plan.RecoveryEventsPerActor}: AkkaWal <= 2x in-memory journal's time";
        verdicts.Add(walRecovery is { } w && memRecovery is { } m && m > 0
            ? new TargetVerdict(target, $"{w / m:0.00}x ({w:N1} vs {m:N1} ms)", w / m <= 2.0)
            : new TargetVerdict(target, "not measured", null));
        var bigTarget = $"recovery of one actor among {report.Plan.BigLogActors:N0} ({report.Plan.BigLogEvents:N0} events) < 50 ms";
        verdicts.Add(report.BigLog is { } big
            ? new TargetVerdict(bigTarget, $"{big.Recovery.Median:N1} ms ({big.Recovery.Min:N1}-{big.Recovery.Max:N1})", big.Recovery.Median < 50)
            : new TargetVerdict(bigTarget, "not measured", null));
        if (report.Restarts is { Count: >= 2 } restarts)
        {
            var (small, large) = (restarts[0], restarts[^1]);
            verdicts.Add(AtMost($"restart with checkpoint: {large.Events:N0} events <= 1.5x {small.Events:N0} events",
                large.WithCheckpoint.Millis, small.WithCheckpoint.Millis, 1.5, "ms"));
            verdicts.Add(AtMost($"restart with checkpoint of {large.Events:N0} events <= 3x the engine's own open",
                large.WithCheckpoint.Millis, large.EngineOpenMillis, 3.0, "ms"));
        }
        return verdicts;
    }

    private static TargetVerdict AtMost(string target, double ours, double theirs, double max, string unit) => theirs <= 0
        ? new TargetVerdict(target, "not measured", null)
        : new TargetVerdict(target, $"{ours / theirs:0.00}x ({ours:N0} vs {theirs:N0} {unit})", ours / theirs <= max);

    private static TargetVerdict AtLeast(string target, double? ours, double? theirs, double min, string unit)
    {
        if (ours is not { } a || theirs is not { } b || b == 0) return new TargetVerdict(target, "not measured", null);
        var ratio = a / b;
        return new TargetVerdict(target, $"{ratio:0.00}x ({a:N0} vs {b:N0} {unit})", ratio >= min);
    }
}
