namespace AkkaWal.Storage.Tests;

/// <summary>AppendBatch with an <see cref="IAppendCompletion"/>: the same outcomes as AppendBatchAsync, told exactly once.</summary>
public class AppendCompletionTests
{
    private sealed class Outcome : IAppendCompletion
    {
        private readonly TaskCompletionSource<long[]> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);
        public Task<long[]> Task => _done.Task;
        public void Completed(long[] positions) { Interlocked.Increment(ref _calls); _done.TrySetResult(positions); }
        public void Failed(Exception error) { Interlocked.Increment(ref _calls); _done.TrySetException(error); }
    }

    private static IReadOnlyList<ReadOnlyMemory<byte>> Batch(params long[] ids) => ids.Select(i => (ReadOnlyMemory<byte>)Payloads.For(i)).ToList();

    [Fact]
    public async Task A_durable_batch_reports_its_positions_once_and_an_invalid_one_is_rejected_before_anything_is_written()
    {
        using var dir = new TempDirectory();
        await using var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path, SegmentSize = 64 * 1024, MaxRecordSize = 1024, MaxGroupBytes = 4096 });
        var good = new Outcome();
        wal.AppendBatch(Batch(1, 2, 3), good);
        var tooBig = new Outcome();
        wal.AppendBatch(Enumerable.Range(0, 10).Select(_ => (ReadOnlyMemory<byte>)new byte[1000]).ToList(), tooBig); // > the 4096-byte window
        var empty = new Outcome();
        wal.AppendBatch([], empty);

        var positions = await good.Task;
        Assert.Equal(wal.ReadFrom().Select(r => r.Position), positions);
        Assert.Equal([1, 2, 3], LogBuilder.Ids(wal));
        Assert.Contains("Batch of 10 records", (await Assert.ThrowsAsync<RecordTooLargeException>(() => tooBig.Task)).Message);
        await Assert.ThrowsAsync<ArgumentException>(() => empty.Task);
        Assert.Equal(1, good.Calls);
        Assert.Equal(1, tooBig.Calls);
        Assert.Null(wal.Failure);
    }

    [Fact]
    public async Task A_failed_fsync_fails_the_batch_once_and_a_later_one_at_once()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        await using var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path, SegmentSize = 64 * 1024, MaxRecordSize = 1024, MaxGroupBytes = 4096, FileSystem = fs });
        fs.InjectFault(FaultOperation.FlushData, 1, FaultInjectingFileSystem.EIO, persistent: true);
        var failed = new Outcome();
        wal.AppendBatch(Batch(1), failed);
        await Assert.ThrowsAsync<WalFailedException>(() => failed.Task);

        var later = new Outcome();
        wal.AppendBatch(Batch(2), later);
        Assert.True(later.Task.IsFaulted); // told before AppendBatch returned
        await Assert.ThrowsAsync<WalFailedException>(() => later.Task);
        Assert.Equal(1, failed.Calls);
        Assert.Equal(1, later.Calls);
    }
}
