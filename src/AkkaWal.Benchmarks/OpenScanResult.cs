namespace AkkaWal.Benchmarks;

/// <param name="Bytes">Bytes the open scanned, as its recovery report counts them.</param>
/// <param name="Records">Records the open found.</param>
/// <param name="Seconds">Wall time of the whole open.</param>
public sealed record OpenScanResult(long Bytes, long Records, double Seconds)
{
    public double GigabytesPerSecond => Seconds > 0 ? Bytes / Seconds / 1e9 : 0;
}
