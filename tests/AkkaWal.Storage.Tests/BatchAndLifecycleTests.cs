using System.Collections.Concurrent;

namespace AkkaWal.Storage.Tests;

public class BatchAndLifecycleTests
{
    [Theory]
    [InlineData(DurabilityMode.Always)]
    [InlineData(DurabilityMode.Interval)]
    public async Task Batches_are_all_or_nothing_and_acknowledged_ones_survive_power_cuts(DurabilityMode durability)
    {
        var rng = new Random(77 + (int)durability);
        for (int round = 0; round < 10; round++)
        {
            using var dir = new TempDirectory();
            var fs = new FaultInjectingFileSystem();
            var options = new WalOptions
            {
                Directory = dir.Path, SegmentSize = 16 * 1024, MaxRecordSize = 1024, MaxGroupBytes = 4096,
                Durability = durability, FsyncInterval = TimeSpan.FromMilliseconds(2), FileSystem = fs,
            };
            var acked = new ConcurrentBag<long[]>(); // ids of each acknowledged batch
            int cutAt = rng.Next(5, 150), acks = 0;
            await using (var wal = WriteAheadLog.Open(options))
            {
                await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
                {
                    for (int b = 0; b < 100; b++)
                    {
                        int size = 1 + (w + b) % 5;
                        var ids = Enumerable.Range(0, size).Select(i => w * 1_000_000L + b * 10 + i).ToArray();
                        try { await wal.AppendBatchAsync(ids.Select(id => (ReadOnlyMemory<byte>)Payloads.For(id, 30)).ToList()); }
                        catch (WalFailedException) { return; }
                        acked.Add(ids);
                        if (Interlocked.Increment(ref acks) == cutAt) { if (round % 2 == 0) fs.PowerCut(); else fs.PowerCutTearingSectors(new Random(round)); }
                    }
                })));
            }
            await using (var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path, SegmentSize = 16 * 1024, MaxRecordSize = 1024, MaxGroupBytes = 4096 }))
            {
                var present = LogBuilder.Ids(wal);
                var set = present.ToHashSet();
                Assert.Equal(present.Count, set.Count);
                foreach (var ids in acked) Assert.All(ids, id => Assert.Contains(id, set));
                // Every batch in the log is complete: group ids by batch key and check sizes.
                foreach (var g in present.GroupBy(id => id / 10))
                {
                    long w = g.Key / 100_000, b = g.Key % 100_000;
                    Assert.Equal(1 + (w + b) % 5, g.Count());
                }
            }
        }
    }

    [Fact]
    public async Task Dispose_completes_every_queued_append_and_later_appends_are_refused()
    {
        using var dir = new TempDirectory();
        var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path });
        var tasks = Enumerable.Range(0, 500).Select(i => wal.AppendAsync(Payloads.For(i)).AsTask()).ToList();
        await wal.DisposeAsync();
        Assert.All(tasks, t => Assert.True(t.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await wal.AppendAsync(Payloads.For(1)));
        Assert.Throws<ObjectDisposedException>(() => wal.ReadFrom().ToList());
        await using var reopened = WriteAheadLog.Open(new WalOptions { Directory = dir.Path });
        Assert.Equal(tasks.Select(t => t.Result), reopened.ReadFrom().Select(r => r.Position));
    }

    [Fact]
    public async Task A_cancelled_append_is_not_written_and_an_oversized_batch_harms_nobody()
    {
        using var dir = new TempDirectory();
        await using var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path, SegmentSize = 64 * 1024, MaxRecordSize = 1024, MaxGroupBytes = 4096 });
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wal.AppendAsync(Payloads.For(1), cts.Token));
        var ok = wal.AppendAsync(Payloads.For(2)).AsTask();
        var tooBig = Enumerable.Range(0, 10).Select(_ => (ReadOnlyMemory<byte>)new byte[1000]).ToList(); // > 4096-byte window
        var e = await Assert.ThrowsAsync<RecordTooLargeException>(async () => await wal.AppendBatchAsync(tooBig));
        Assert.Contains("Batch of 10 records", e.Message);
        await ok;
        Assert.Null(wal.Failure);
        Assert.Equal([2], LogBuilder.Ids(wal));
    }
}
