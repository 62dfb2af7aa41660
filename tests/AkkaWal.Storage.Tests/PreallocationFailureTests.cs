namespace AkkaWal.Storage.Tests;

/// <summary>Issue 8 item 9: creating the next segment in the background is not on the data path; its failure is retried
/// and does not fail the log.</summary>
public class PreallocationFailureTests
{
    private static async Task<int> AppendBatchesAsync(WriteAheadLog wal, int batches, int perBatch = 20)
    {
        int acked = 0;
        for (int b = 0; b < batches; b++)
        {
            var payloads = Enumerable.Range(0, perBatch).Select(i => (ReadOnlyMemory<byte>)Payloads.For(b * perBatch + i, 40)).ToList();
            acked += (await wal.AppendBatchAsync(payloads)).Length;
        }
        return acked;
    }

    [Theory]
    [InlineData(FaultOperation.Preallocate)]
    [InlineData(FaultOperation.Create)]
    [InlineData(FaultOperation.SyncDirectory)]
    public async Task A_transient_failure_creating_the_next_segment_is_retried_and_the_log_keeps_going(FaultOperation op)
    {
        using var dir = new TempDirectory();
        await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 1); // the first segment and its spare exist
        var fs = new FaultInjectingFileSystem();
        await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, fs: fs));
        fs.InjectFault(op, 1, FaultInjectingFileSystem.EIO);
        fs.InjectFault(op, 2, FaultInjectingFileSystem.ENOSPC);

        int acked = await AppendBatchesAsync(wal, 60); // ~59 KiB of frames: four rolls over 16 KiB segments

        Assert.Equal(1200, acked);
        Assert.Null(wal.Failure);
        Assert.True(wal.Segments.Count(s => s.EndPosition > s.FirstRecordPosition) >= 4);
        Assert.True(fs.Count(op) >= 3, $"the injected {op} faults were never reached");
        Assert.Equal(1201, wal.ReadFrom().Count());
    }

    [Fact]
    public async Task A_persistent_failure_fails_only_the_appends_that_need_the_new_segment_and_never_hangs()
    {
        using var dir = new TempDirectory();
        await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 1);
        var fs = new FaultInjectingFileSystem();
        await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, fs: fs));
        fs.InjectFault(FaultOperation.Preallocate, 1, FaultInjectingFileSystem.ENOSPC, persistent: true);

        var error = await Assert.ThrowsAsync<WalFailedException>(() => AppendBatchesAsync(wal, 200));
        Assert.Contains("ENOSPC", error.Message);
        // Every record acknowledged before is readable: two segments were filled (the existing spare was used).
        Assert.True(wal.ReadFrom().Count() > 600);
    }
}
