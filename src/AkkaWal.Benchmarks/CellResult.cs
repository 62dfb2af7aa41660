namespace AkkaWal.Benchmarks;

/// <summary>One measured cell: a system at a writer count, over one measurement window.</summary>
/// <param name="Operations">Acknowledged records whose acknowledgement fell inside the window.</param>
/// <param name="P50Micros">Median acknowledgement latency of one record.</param>
public sealed record CellResult(string System, int Writers, long Operations, double Seconds, double P50Micros, double P99Micros)
{
    public double RecordsPerSecond => Seconds > 0 ? Operations / Seconds : 0;

    /// <summary>Process CPU time per acknowledged append over the whole cell (warm-up included, every thread: the
    /// system under test and the writers driving it); NaN where not measured.</summary>
    public double CpuMicrosPerAppend { get; init; } = double.NaN;

    /// <summary>Managed bytes allocated per acknowledged append over the whole cell; NaN where not measured.</summary>
    public double BytesPerAppend { get; init; } = double.NaN;
}
