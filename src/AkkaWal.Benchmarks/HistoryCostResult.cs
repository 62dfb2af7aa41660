namespace AkkaWal.Benchmarks;

/// <summary>The same append cell on an empty log and on a log holding <see cref="HistoryBytes"/> of history.</summary>
public sealed record HistoryCostResult(int Writers, long HistoryBytes, CellResult Empty, CellResult WithHistory)
{
    /// <summary>Cost ratio: how much slower appends are with history (empty rate / history rate); 1.0 = no cost.</summary>
    public double CostRatio => WithHistory.RecordsPerSecond > 0 ? Empty.RecordsPerSecond / WithHistory.RecordsPerSecond : double.PositiveInfinity;
}
