namespace AkkaWal.Storage.Tests;

/// <summary>Issue 8 item 10: the engine's incoming queue is bounded by bytes; appenders beyond the bound wait
/// asynchronously, in order, and nothing is dropped.</summary>
public class BackpressureTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    private static WalOptions Bounded(string dir, IWalFileSystem fs, long maxQueued = 4096, int maxRecord = 1024) => new()
    {
        Directory = dir,
        SegmentSize = 64 * 1024,
        MaxRecordSize = maxRecord,
        MaxGroupBytes = 16 * 1024,
        MaxQueuedBytes = maxQueued,
        FileSystem = fs,
    };

    /// <summary>A file system whose fdatasync of segment data waits for <paramref name="gate"/>: nothing is
    /// acknowledged (so nothing leaves the queue) until the test opens it.</summary>
    private static FaultInjectingFileSystem HoldingSyncs(ManualResetEventSlim gate, Func<bool>? failSync = null) => new()
    {
        OnOperation = (op, path) =>
        {
            if (op != FaultOperation.FlushData || !path.EndsWith(".wal", StringComparison.Ordinal)) return;
            gate.Wait(Generous);
            if (failSync?.Invoke() == true) throw DataSync.ErrnoException(FaultInjectingFileSystem.EIO, "fdatasync (test)");
        },
    };

    [Fact]
    public async Task Appenders_beyond_the_bound_wait_without_blocking_and_all_complete_in_order()
    {
        using var dir = new TempDirectory();
        using var gate = new ManualResetEventSlim(false);
        await using var wal = WriteAheadLog.Open(Bounded(dir.Path, HoldingSyncs(gate)));

        // 40 appends of 509 frame bytes (~20 KiB) against a 4 KiB bound, issued from this thread: each call returns at
        // once (no thread blocks), but at most 8 fit the queue.
        var tasks = Enumerable.Range(0, 40).Select(i => wal.AppendAsync(Payloads.For(i, 500)).AsTask()).ToList();

        Assert.True(wal.QueuedBytes <= 4096, $"queued {wal.QueuedBytes} bytes over a 4096-byte bound");
        Assert.True(wal.WaitingAppends >= 32, $"only {wal.WaitingAppends} appends wait");
        Assert.All(tasks, t => Assert.False(t.IsCompleted));

        gate.Set();
        var positions = await Task.WhenAll(tasks).WaitAsync(Generous);

        Assert.Equal(positions.Order(), positions); // arrival order kept
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), LogBuilder.Ids(wal));
        Assert.True(wal.PeakQueuedBytes <= 4096, $"peak {wal.PeakQueuedBytes} bytes over a 4096-byte bound");
        Assert.Equal(0, wal.QueuedBytes);
        Assert.Equal(0, wal.WaitingAppends);
    }

    [Fact]
    public async Task An_append_larger_than_the_bound_goes_through_alone()
    {
        using var dir = new TempDirectory();
        using var gate = new ManualResetEventSlim(false);
        await using var wal = WriteAheadLog.Open(Bounded(dir.Path, HoldingSyncs(gate), maxQueued: 4096, maxRecord: 8192));

        var small = wal.AppendAsync(Payloads.For(1, 100)).AsTask();
        var big = wal.AppendAsync(Payloads.For(2, 6000)).AsTask();
        var after = wal.AppendAsync(Payloads.For(3, 100)).AsTask();
        Assert.Equal(2, wal.WaitingAppends); // the big one waits for an empty queue; the next one waits behind it

        gate.Set();
        await Task.WhenAll(small, big, after).WaitAsync(Generous);
        Assert.Equal([1L, 2, 3], LogBuilder.Ids(wal));
        Assert.Equal(6009, wal.PeakQueuedBytes); // alone: never together with another append
    }

    [Fact]
    public async Task When_the_log_fails_the_waiting_appends_fail_too_and_none_hangs()
    {
        using var dir = new TempDirectory();
        using var gate = new ManualResetEventSlim(false);
        await using var wal = WriteAheadLog.Open(Bounded(dir.Path, HoldingSyncs(gate, failSync: () => true)));

        var tasks = Enumerable.Range(0, 40).Select(i => wal.AppendAsync(Payloads.For(i, 500)).AsTask()).ToList();
        Assert.True(wal.WaitingAppends > 0);
        gate.Set();

        foreach (var t in tasks)
            await Assert.ThrowsAsync<WalFailedException>(() => t.WaitAsync(Generous));
    }
}
