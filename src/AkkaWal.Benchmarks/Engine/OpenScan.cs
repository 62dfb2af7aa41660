using System.Diagnostics;
using AkkaWal.Storage;

namespace AkkaWal.Benchmarks.Engine;

/// <summary>The open-time scan rate: how fast <see cref="WriteAheadLog.Open"/> verifies an existing log (every CRC, sealed
/// segments included: <see cref="WalOptions.VerifySealedSegmentsOnOpen"/>).</summary>
public static class OpenScan
{
    /// <summary>Times the whole open (lock, listing, scan, recovery) against the bytes recovery reports it scanned.</summary>
    public static OpenScanResult Measure(string directory)
    {
        var t0 = Stopwatch.GetTimestamp();
        using var log = WriteAheadLog.Open(new WalOptions { Directory = directory, VerifySealedSegmentsOnOpen = true });
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return new OpenScanResult(log.Recovery.BytesScanned, log.Recovery.RecordsFound, seconds, log.Recovery.Elapsed.TotalSeconds);
    }
}
