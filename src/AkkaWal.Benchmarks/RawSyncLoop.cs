using System.Diagnostics;
using AkkaWal.Storage;
using Microsoft.Win32.SafeHandles;

namespace AkkaWal.Benchmarks;

/// <summary>
/// The floor of this disk: one thread writing records to a preallocated, zero-filled file and calling fdatasync after
/// every <c>recordsPerSync</c> records. The file never grows, so fdatasync flushes data only (no metadata), and the
/// loop wraps to the start when it reaches the end. Every record of one write is acknowledged by that write's
/// fdatasync, so its latency is the duration of write + fdatasync.
/// </summary>
public static class RawSyncLoop
{
    public const long DefaultFileSize = 64L << 20;

    public static Task<CellResult> RunAsync(string path, int recordSize, int recordsPerSync, TimeSpan warmup, TimeSpan measure,
        long fileSize = DefaultFileSize, CancellationToken ct = default)
    {
        // Blocking write/fdatasync on a thread of its own, not on the thread pool.
        return Task.Factory.StartNew(() => Run(path, recordSize, recordsPerSync, warmup, measure, fileSize, ct),
            ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static CellResult Run(string path, int recordSize, int recordsPerSync, TimeSpan warmup, TimeSpan measure,
        long fileSize, CancellationToken ct)
    {
        var chunk = new byte[recordSize * recordsPerSync];
        Random.Shared.NextBytes(chunk);
        if (fileSize < chunk.Length) throw new ArgumentException($"file size {fileSize} is smaller than one write of {chunk.Length} bytes", nameof(fileSize));

        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        Preallocate(handle, fileSize);

        var samples = new List<long>(capacity: 1 << 16);
        long records = 0, written = 0, offset = 0;
        var cost = ProcessCost.Now();
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(measure.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (offset + chunk.Length > fileSize) offset = 0;
            var t0 = Stopwatch.GetTimestamp();
            RandomAccess.Write(handle, chunk, offset);
            DataSync.FlushData(handle);
            var t1 = Stopwatch.GetTimestamp();
            offset += chunk.Length;
            written += recordsPerSync;
            if (t0 >= measureFrom && t1 <= measureTo)
            {
                records += recordsPerSync;
                samples.Add(t1 - t0);
            }
            if (t1 > measureTo) break;
        }
        var (cpu, bytes) = ProcessCost.PerOperation(cost, written);
        var (p50, p99) = LatencyPercentiles.Summarize([samples]);
        return new CellResult(Systems.RawSync(recordsPerSync), 1, records, measure.TotalSeconds, p50, p99)
        {
            CpuMicrosPerAppend = cpu, BytesPerAppend = bytes,
        };
    }

    /// <summary>Writes zeros over the whole file and syncs it once, so later overwrites change no extent metadata.</summary>
    private static void Preallocate(SafeFileHandle handle, long size)
    {
        var zeros = new byte[1 << 20];
        for (long at = 0; at < size; at += zeros.Length)
            RandomAccess.Write(handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, size - at)), at);
        RandomAccess.FlushToDisk(handle);
    }
}
