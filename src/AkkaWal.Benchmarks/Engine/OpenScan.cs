using System.Diagnostics;
using AkkaWal.Storage;

namespace AkkaWal.Benchmarks.Engine;

/// <summary>The open-time scan rate: how fast <see cref="WriteAheadLog.Open"/> verifies an existing log (every CRC).</summary>
public static class OpenScan
{
    public static OpenScanResult Measure(string directory)
    {
        var t0 = Stopwatch.GetTimestamp();
        using var log = WriteAheadLog.Open(new WalOptions { Directory = directory });
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var firstPosition = log.Segments.Count > 0 ? log.Segments[0].BasePosition : 0;
        return new OpenScanResult(log.DurableEnd - firstPosition, seconds);
    }
}
