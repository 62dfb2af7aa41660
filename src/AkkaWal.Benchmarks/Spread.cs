namespace AkkaWal.Benchmarks;

/// <summary>Median and range of one figure over the repeated runs.</summary>
public readonly record struct Spread(double Median, double Min, double Max, int Runs)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return new Spread(double.NaN, double.NaN, double.NaN, 0);
        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Spread(median, sorted[0], sorted[^1], sorted.Length);
    }

    /// <summary>Half the range relative to the median, in percent: the "±" shown next to a median.</summary>
    public double RelativeHalfRangePercent => Median == 0 || double.IsNaN(Median) ? 0 : (Max - Min) / 2 / Math.Abs(Median) * 100;
}
