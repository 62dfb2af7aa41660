namespace AkkaWal.Benchmarks;

/// <param name="Bytes">Bytes the open scanned, as its recovery report counts them.</param>
/// <param name="Records">Records the open found.</param>
/// <param name="Seconds">Wall time of the whole open (lock, listing, scan, preparing the next segment): the target's figure.</param>
/// <param name="ScanSeconds">Time of the recovery scan alone, as the recovery report measures it.</param>
public sealed record OpenScanResult(long Bytes, long Records, double Seconds, double ScanSeconds)
{
    public double GigabytesPerSecond => Seconds > 0 ? Bytes / Seconds / 1e9 : 0;
    public double ScanGigabytesPerSecond => ScanSeconds > 0 ? Bytes / ScanSeconds / 1e9 : 0;
}
