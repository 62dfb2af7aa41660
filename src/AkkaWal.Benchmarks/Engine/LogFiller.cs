using AkkaWal.Storage;

namespace AkkaWal.Benchmarks.Engine;

/// <summary>
/// Writes a log of a given size fast, to serve as history or as a scan subject: durability None and large atomic
/// batches (the content is what matters here, not how it was acknowledged), then a clean close and an fsync of every
/// file, so no writeback of this bulk data runs while later cells are measured.
/// </summary>
public static class LogFiller
{
    public const int BatchRecords = 4096;

    /// <summary>Appends records of <paramref name="recordSize"/> bytes until <paramref name="records"/> are written.</summary>
    public static async Task FillAsync(string directory, int recordSize, long records, IProgress<double>? progress = null,
        CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        await using (var log = WriteAheadLog.Open(new WalOptions { Directory = directory, Durability = DurabilityMode.None }))
            await AppendAsync(log, recordSize, records, progress, ct).ConfigureAwait(false);
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            RandomAccess.FlushToDisk(handle);
        }
        DataSync.SyncDirectory(directory);
    }

    private static async Task AppendAsync(WriteAheadLog log, int recordSize, long records, IProgress<double>? progress, CancellationToken ct)
    {
        var payloads = new ReadOnlyMemory<byte>[BatchRecords];
        var random = new Random(42);
        for (var i = 0; i < payloads.Length; i++)
        {
            var bytes = new byte[recordSize];
            random.NextBytes(bytes);
            payloads[i] = bytes;
        }
        for (long written = 0; written < records;)
        {
            ct.ThrowIfCancellationRequested();
            var n = (int)Math.Min(BatchRecords, records - written);
            await log.AppendBatchAsync(n == payloads.Length ? payloads : payloads[..n], ct).ConfigureAwait(false);
            written += n;
            progress?.Report((double)written / records);
        }
    }

    /// <summary>Records of <paramref name="recordSize"/> bytes needed so the log holds about <paramref name="bytes"/>.</summary>
    public static long RecordsFor(long bytes, int recordSize) => Math.Max(1, bytes / recordSize);
}
