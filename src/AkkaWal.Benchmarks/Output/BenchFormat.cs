using System.Globalization;

namespace AkkaWal.Benchmarks.Output;

/// <summary>How benchmark figures are written: medians with their range over the repeats.</summary>
internal static class BenchFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Rate(Spread s) => s.Runs > 1
        ? string.Format(Invariant, "{0:N0} ({1:N0}-{2:N0})", s.Median, s.Min, s.Max)
        : string.Format(Invariant, "{0:N0}", s.Median);

    public static string Micros(Spread s) => s.Runs > 1
        ? string.Format(Invariant, "{0:N0} ({1:N0}-{2:N0})", s.Median, s.Min, s.Max)
        : string.Format(Invariant, "{0:N0}", s.Median);

    /// <summary>A per-append cost (CPU µs with one decimal, bytes whole); "n/a" where not measured.</summary>
    public static string PerAppend(Spread s, string format) => double.IsNaN(s.Median) ? "n/a" : s.Runs > 1
        ? string.Format(Invariant, $"{{0:{format}}} ({{1:{format}}}-{{2:{format}}})", s.Median, s.Min, s.Max)
        : string.Format(Invariant, $"{{0:{format}}}", s.Median);

    public static string Cpu(Spread s) => PerAppend(s, "0.0");

    public static string Bytes(Spread s) => PerAppend(s, "N0");

    public static string Ratio(Spread s) => s.Runs > 1
        ? string.Format(Invariant, "{0:0.00} ({1:0.00}-{2:0.00})", s.Median, s.Min, s.Max)
        : string.Format(Invariant, "{0:0.00}", s.Median);

    public static string Verdict(bool? met) => met switch { true => "met", false => "MISSED", null => "not measured" };

    public static string HistorySize(long bytes) => bytes >= 1L << 30
        ? string.Format(Invariant, "{0:0.##} GiB", bytes / (double)(1L << 30))
        : string.Format(Invariant, "{0:0.##} MiB", bytes / (double)(1L << 20));
}
