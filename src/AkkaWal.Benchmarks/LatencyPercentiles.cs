using System.Diagnostics;

namespace AkkaWal.Benchmarks;

/// <summary>Percentiles of per-operation latencies taken with <see cref="Stopwatch.GetTimestamp"/>, from sorted samples.</summary>
public static class LatencyPercentiles
{
    /// <summary>Nearest-rank percentile of ascending samples (p in 0..100); 0 for no samples.</summary>
    public static long NearestRank(ReadOnlySpan<long> sorted, double p)
    {
        if (p is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(p), p, "percentile must be in 0..100");
        if (sorted.Length == 0) return 0;
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double TicksToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    /// <summary>Merges the per-writer sample lists, sorts them and returns (p50, p99) in microseconds.</summary>
    public static (double P50, double P99) Summarize(IEnumerable<List<long>> perWriterSamples)
    {
        var all = perWriterSamples.SelectMany(s => s).ToArray();
        Array.Sort(all);
        return (TicksToMicroseconds(NearestRank(all, 50)), TicksToMicroseconds(NearestRank(all, 99)));
    }
}
