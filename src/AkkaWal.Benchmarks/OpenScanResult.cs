namespace AkkaWal.Benchmarks;

/// <param name="Bytes">Logical bytes the open scanned (first segment's base position to the durable end).</param>
public sealed record OpenScanResult(long Bytes, double Seconds)
{
    public double GigabytesPerSecond => Seconds > 0 ? Bytes / Seconds / 1e9 : 0;
}
