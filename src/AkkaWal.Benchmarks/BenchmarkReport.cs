namespace AkkaWal.Benchmarks;

/// <summary>Everything one `akkawal bench` run measured, with medians and spread over the repeats.</summary>
public sealed class BenchmarkReport
{
    public required BenchmarkPlan Plan { get; init; }
    public required MachineInfo Machine { get; init; }
    public required string Directory { get; init; }
    public List<CellResult> Cells { get; } = [];
    public List<HistoryCostResult> History { get; } = [];
    public List<OpenScanResult> OpenScans { get; } = [];
    public TimeSpan Elapsed { get; set; }
    /// <summary>1-minute load average at the start and at the end of the run (null where unknown).</summary>
    public double? LoadAtStart { get; set; }
    public double? LoadAtEnd { get; set; }

    /// <summary>One row per (system, writers): raw baselines first, then by writer count, peers in measuring order.</summary>
    public IReadOnlyList<CellSummary> Summaries() => Cells
        .GroupBy(c => (c.System, c.Writers))
        .OrderBy(g => g.Key.System.StartsWith("raw", StringComparison.Ordinal) ? 0 : 1)
        .ThenBy(g => g.Key.Writers)
        .Select(g => new CellSummary(g.Key.System, g.Key.Writers,
            Spread.Of(g.Select(c => c.RecordsPerSecond)),
            Spread.Of(g.Select(c => c.P50Micros)),
            Spread.Of(g.Select(c => c.P99Micros)),
            Spread.Of(g.Select(c => c.CpuMicrosPerAppend)),
            Spread.Of(g.Select(c => c.BytesPerAppend))))
        .ToList();

    public CellSummary? Find(string system, int writers) =>
        Summaries().FirstOrDefault(s => s.System == system && s.Writers == writers);

    public IReadOnlyList<(int Writers, Spread Ratio)> HistoryRatios() => History
        .GroupBy(h => h.Writers)
        .Select(g => (g.Key, Spread.Of(g.Select(h => h.CostRatio))))
        .ToList();

    public Spread OpenScanRate() => Spread.Of(OpenScans.Select(o => o.GigabytesPerSecond));

    public Spread ScanOnlyRate() => Spread.Of(OpenScans.Select(o => o.ScanGigabytesPerSecond));

    public IReadOnlyList<TargetVerdict> Targets() => TargetVerdict.Evaluate(this);
}

/// <param name="CpuMicrosPerAppend">Process CPU µs per append (NaN median where not measured).</param>
/// <param name="BytesPerAppend">Managed bytes allocated per append (NaN median where not measured).</param>
public sealed record CellSummary(string System, int Writers, Spread RecordsPerSecond, Spread P50Micros, Spread P99Micros,
    Spread CpuMicrosPerAppend, Spread BytesPerAppend);
