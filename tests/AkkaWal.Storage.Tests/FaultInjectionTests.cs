using System.Collections.Concurrent;

namespace AkkaWal.Storage.Tests;

public class FaultInjectionTests
{
    /// <summary>Appends from several writers until the log fails; returns every acknowledged (position, id).</summary>
    private static async Task<List<(long Pos, long Id)>> RunUntilFailureAsync(WriteAheadLog wal, int writers, int perWriter, Action<int>? afterAck = null)
    {
        var acked = new ConcurrentBag<(long, long)>();
        int ackCount = 0;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < perWriter; i++)
            {
                long id = w * 1_000_000L + i;
                try
                {
                    long pos = await wal.AppendAsync(Payloads.For(id, 24 + (int)(id % 50)));
                    acked.Add((pos, id));
                    afterAck?.Invoke(Interlocked.Increment(ref ackCount));
                }
                catch (WalFailedException) { return; }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        return acked.OrderBy(a => a.Item1).ToList();
    }

    private static void AssertAllAckedPresentOnce(string dir, List<(long Pos, long Id)> acked)
    {
        using var wal = WriteAheadLog.Open(LogBuilder.Small(dir));
        var all = wal.ReadFrom().Select(r => (r.Position, Id: Payloads.IdOf(r.Payload.Span))).ToList();
        Assert.Equal(all.Count, all.Select(r => r.Id).Distinct().Count()); // exactly once
        var byPos = all.ToDictionary(r => r.Position, r => r.Id);
        foreach (var (pos, id) in acked)
        {
            Assert.True(byPos.TryGetValue(pos, out long found), $"acknowledged record {id} at {pos} is missing");
            Assert.Equal(id, found);
        }
        // Per writer, log order equals acknowledgement (id) order.
        foreach (var g in all.GroupBy(r => r.Id / 1_000_000))
            Assert.True(g.Select(r => r.Id).SequenceEqual(g.Select(r => r.Id).Order()));
        long p = wal.AppendAsync(Payloads.For(-1)).AsTask().GetAwaiter().GetResult();
        Assert.Equal(-1, Payloads.IdOf(wal.ReadAt(p).Payload.Span));
    }

    [Fact]
    public async Task Power_cut_at_random_points_of_a_concurrent_workload_loses_no_acknowledged_append()
    {
        var rng = new Random(1234);
        for (int round = 0; round < 12; round++)
        {
            using var dir = new TempDirectory();
            var fs = new FaultInjectingFileSystem();
            int cutAfterAcks = rng.Next(1, 600);
            List<(long, long)> acked;
            await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, fs: fs)))
            {
                acked = await RunUntilFailureAsync(wal, writers: 8, perWriter: 200, afterAck: n => { if (n == cutAfterAcks) { if (round % 2 == 0) fs.PowerCut(); else fs.PowerCutTearingSectors(new Random(round)); } });
                if (acked.Count >= cutAfterAcks) Assert.NotNull(wal.Failure);
            }
            AssertAllAckedPresentOnce(dir.Path, acked);
        }
    }

    [Fact]
    public async Task Power_cut_at_every_early_file_operation_keeps_the_log_openable()
    {
        // Covers segment creation (tmp, preallocate, header, fsync, rename, directory fsync) and the first rolls.
        using var probe = new TempDirectory();
        var counter = new FaultInjectingFileSystem();
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(probe.Path, fs: counter)))
            await RunUntilFailureAsync(wal, 2, 200);
        int total = counter.Count(FaultOperation.Any);
        for (int k = 1; k <= Math.Min(total, 120); k += k < 40 ? 1 : 7)
        {
            using var dir = new TempDirectory();
            var fs = new FaultInjectingFileSystem();
            fs.PowerCutAt(FaultOperation.Any, k);
            List<(long, long)> acked = [];
            try
            {
                await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, fs: fs));
                acked = await RunUntilFailureAsync(wal, 2, 200);
            }
            catch (IOException) when (fs.IsCut) { /* the cut hit Open itself */ }
            AssertAllAckedPresentOnce(dir.Path, acked);
        }
    }

    [Fact]
    public async Task EIO_on_fsync_fails_pending_appends_and_the_log_refuses_writes_until_reopened()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        long before;
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, fs: fs)))
        {
            before = await wal.AppendAsync(Payloads.For(1));
            fs.InjectFault(FaultOperation.FlushData, 1, FaultInjectingFileSystem.EIO);
            var pending = Enumerable.Range(2, 20).Select(i => wal.AppendAsync(Payloads.For(i)).AsTask()).ToList();
            foreach (var t in pending)
            {
                var e = await Assert.ThrowsAsync<WalFailedException>(() => t);
                Assert.IsType<IOException>(e.InnerException);
                Assert.Equal(FaultInjectingFileSystem.EIO, e.InnerException!.HResult);
            }
            Assert.NotNull(wal.Failure);
            // No retry: later appends fail at once, even though the fault is gone.
            fs.ClearFaults();
            int flushes = fs.Count(FaultOperation.FlushData);
            await Assert.ThrowsAsync<WalFailedException>(async () => await wal.AppendAsync(Payloads.For(99)));
            Assert.Equal(flushes, fs.Count(FaultOperation.FlushData));
            Assert.Equal([1], LogBuilder.Ids(wal));
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.Equal(1, Payloads.IdOf(wal.ReadAt(before).Payload.Span));
            Assert.Equal(1, Payloads.IdOf(wal.ReadFrom().First().Payload.Span));
            await wal.AppendAsync(Payloads.For(3));
        }
    }

    [Fact]
    public async Task ENOSPC_reports_disk_full_and_a_reopen_after_freeing_space_loses_nothing_acknowledged()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        List<(long, long)> acked;
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, fs: fs)))
        {
            fs.InjectFault(FaultOperation.Write, 150, FaultInjectingFileSystem.ENOSPC, persistent: true);
            fs.InjectFault(FaultOperation.Preallocate, 3, FaultInjectingFileSystem.ENOSPC, persistent: true);
            acked = await RunUntilFailureAsync(wal, 4, 300);
            var failure = Assert.IsType<WalFailedException>(wal.Failure);
            Assert.Contains("Disk full", failure.Message);
            Assert.Contains(dir.Path, failure.Message);
            Assert.True(acked.Count > 0);
        }
        fs.ClearFaults(); // space freed
        AssertAllAckedPresentOnce(dir.Path, acked);
    }

    [Fact]
    public async Task A_write_error_fails_only_the_writes_not_the_readers()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, fs: fs));
        long p = await wal.AppendAsync(Payloads.For(7));
        fs.InjectFault(FaultOperation.Write, 1, FaultInjectingFileSystem.EIO);
        await Assert.ThrowsAsync<WalFailedException>(async () => await wal.AppendAsync(Payloads.For(8)));
        await Assert.ThrowsAsync<WalFailedException>(async () => await wal.AppendBatchAsync([Payloads.For(9)]));
        Assert.Equal(7, Payloads.IdOf(wal.ReadAt(p).Payload.Span));
    }
}

public class CompactionFaultTests
{
    [Fact]
    public async Task A_failed_compaction_write_leaves_the_log_usable_but_a_failed_directory_fsync_after_the_rename_stops_it()
    {
        using var dir = new TempDirectory();
        await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 1000);
        var fs = new FaultInjectingFileSystem();
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, fs: fs)))
        {
            // Before the rename: only the compaction fails; the original segments are untouched.
            fs.InjectFault(FaultOperation.FlushData, 1, FaultInjectingFileSystem.EIO);
            await Assert.ThrowsAsync<IOException>(() => wal.CompactAsync(r => Payloads.IdOf(r.Payload.Span) % 2 == 0));
            Assert.Null(wal.Failure);
            await wal.AppendAsync(Payloads.For(2000));
            Assert.Equal(1001, wal.ReadFrom().Count());

            // After the rename: the directory fsync fails, so nothing more may be written.
            fs.InjectFault(FaultOperation.SyncDirectory, 1, FaultInjectingFileSystem.EIO);
            await Assert.ThrowsAsync<WalFailedException>(() => wal.CompactAsync(r => Payloads.IdOf(r.Payload.Span) % 2 == 0));
            Assert.NotNull(wal.Failure);
            await Assert.ThrowsAsync<WalFailedException>(async () => await wal.AppendAsync(Payloads.For(2001)));
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            var ids = LogBuilder.Ids(wal);
            Assert.Contains(2000L, ids);
            Assert.Equal(ids.Order(), ids);
            Assert.All(Enumerable.Range(0, 1000).Where(i => i % 2 == 0), i => Assert.Contains((long)i, ids));
        }
    }
}
