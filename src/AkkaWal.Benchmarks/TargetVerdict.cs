namespace AkkaWal.Benchmarks;

/// <summary>One target from the issue, the figure measured for it (medians) and whether it was met.</summary>
/// <param name="Met">null when the run did not measure what the target needs.</param>
public sealed record TargetVerdict(string Target, string Measured, bool? Met)
{
    public static IReadOnlyList<TargetVerdict> Evaluate(BenchmarkReport report)
    {
        var verdicts = new List<TargetVerdict>();
        var raw1 = report.Find(Systems.RawSync(1), 1);
        var rawBatch = report.Find(Systems.RawSync(report.Plan.RawBatchRecords), 1);
        var wal64 = report.Find(Systems.AkkaWal, 64);
        var faster64 = report.Find(Systems.FasterLog, 64);
        var wal1 = report.Find(Systems.AkkaWal, 1);

        verdicts.Add(Ratio("64 writers: AkkaWal >= 5x FasterLog durable appends/s",
            wal64?.RecordsPerSecond.Median, faster64?.RecordsPerSecond.Median, atLeast: 5.0));
        verdicts.Add(Ratio($"64 writers: AkkaWal >= 0.5x raw {report.Plan.RawBatchRecords}-per-fdatasync appends/s",
            wal64?.RecordsPerSecond.Median, rawBatch?.RecordsPerSecond.Median, atLeast: 0.5));
        verdicts.Add(Ratio("1 writer: AkkaWal p99 <= 1.2x raw 1-per-fdatasync p99",
            wal1?.P99Micros.Median, raw1?.P99Micros.Median, atMost: 1.2));

        foreach (var (writers, ratio) in report.HistoryRatios())
        {
            var gib = report.Plan.HistoryBytes / (double)(1L << 30);
            verdicts.Add(new TargetVerdict($"{writers} writer(s): append cost with {gib:0.###} GiB history / empty <= 1.1",
                $"{ratio.Median:0.00} (range {ratio.Min:0.00}-{ratio.Max:0.00})", ratio.Median <= 1.1));
        }
        if (report.OpenScans.Count > 0)
        {
            var rate = report.OpenScanRate();
            verdicts.Add(new TargetVerdict($"open of {report.Plan.OpenScanRecords:N0} records scans >= 1 GB/s",
                $"{rate.Median:0.00} GB/s (range {rate.Min:0.00}-{rate.Max:0.00})", rate.Median >= 1.0));
        }
        return verdicts;
    }

    private static TargetVerdict Ratio(string target, double? ours, double? theirs, double? atLeast = null, double? atMost = null)
    {
        if (ours is not { } a || theirs is not { } b || b == 0) return new TargetVerdict(target, "not measured", null);
        var ratio = a / b;
        var met = atLeast is { } min ? ratio >= min : ratio <= atMost!.Value;
        return new TargetVerdict(target, $"{ratio:0.00}x ({a:N0} vs {b:N0})", met);
    }
}
