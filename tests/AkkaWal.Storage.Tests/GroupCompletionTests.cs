using System.Collections.Concurrent;

namespace AkkaWal.Storage.Tests;

/// <summary>The writer hands each synced group to a completer off its own thread; these tests hold it to the contract
/// under many writers: nothing is lost or left waiting, and a failed fdatasync acknowledges nothing of its group.</summary>
public class GroupCompletionTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(DurabilityMode.Always)]
    [InlineData(DurabilityMode.Interval)]
    [InlineData(DurabilityMode.None)]
    public async Task Ten_thousand_appends_from_64_tasks_all_complete_in_log_order(DurabilityMode durability)
    {
        using var dir = new TempDirectory();
        const int total = 10_000, writers = 64;
        var options = new WalOptions { Directory = dir.Path, Durability = durability, FsyncInterval = TimeSpan.FromMilliseconds(1) };
        var acked = new ConcurrentDictionary<long, long>(); // id -> position
        var writing = WriteAheadLog.Open(options);
        await using (var wal = writing)
        {
            int next = -1;
            var start = new TaskCompletionSource();
            var tasks = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
            {
                await start.Task;
                long previous = -1;
                for (int id; (id = Interlocked.Increment(ref next)) < total;)
                {
                    long position = await wal.AppendAsync(Payloads.For(id));
                    Assert.True(position > previous); // each writer sees its acknowledgements in log order
                    previous = position;
                    Assert.True(acked.TryAdd(id, position));
                    Assert.True(wal.DurableEnd > position); // acknowledged => below the published end
                }
            })).ToArray();
            start.SetResult();
            await Task.WhenAll(tasks).WaitAsync(Generous);
        }
        Assert.Equal(0, writing.QueuedBytes); // closed: every acknowledged group returned its bytes to the bound
        await using (var wal = WriteAheadLog.Open(options))
        {
            var log = wal.ReadFrom().Select(r => (Id: Payloads.IdOf(r.Payload.Span), r.Position)).ToList();
            Assert.Equal(total, log.Count);
            Assert.Equal(acked.OrderBy(a => a.Value).Select(a => (a.Key, a.Value)), log.Select(r => (r.Id, r.Position)));
        }
    }

    [Fact]
    public async Task A_failed_fdatasync_under_64_writers_fails_its_whole_group_and_acknowledges_exactly_the_durable_prefix()
    {
        using var dir = new TempDirectory();
        const int writers = 64;
        // Open once so the first segment and its preallocated spare exist: no background fdatasync during the run,
        // so the injected fault hits a group commit.
        await using (WriteAheadLog.Open(new WalOptions { Directory = dir.Path })) { }
        var fs = new FaultInjectingFileSystem();
        var acked = new ConcurrentBag<long>();
        var failures = new ConcurrentBag<Exception>();
        long durableEnd;
        await using (var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path, FileSystem = fs }))
        {
            fs.InjectFault(FaultOperation.FlushData, 25, FaultInjectingFileSystem.EIO);
            var start = new TaskCompletionSource();
            var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                await start.Task;
                for (long i = 0; ; i++)
                {
                    try
                    {
                        acked.Add(await wal.AppendAsync(Payloads.For(w * 1_000_000L + i)));
                    }
                    catch (WalFailedException e)
                    {
                        failures.Add(e);
                        return;
                    }
                }
            })).ToArray();
            start.SetResult();
            await Task.WhenAll(tasks).WaitAsync(Generous);
            Assert.NotNull(wal.Failure);
            durableEnd = wal.DurableEnd;
        }
        Assert.Equal(writers, failures.Count); // every writer's last append failed; none hangs
        Assert.All(failures, e => Assert.Equal(FaultInjectingFileSystem.EIO, e.InnerException!.HResult));
        await using (var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path }))
        {
            // The failed group's records may be on disk (written, never synced), but none of them was acknowledged:
            // the acknowledged appends are exactly the records below the durable end of the last successful fdatasync.
            var durable = wal.ReadFrom().Select(r => r.Position).Where(p => p < durableEnd).ToList();
            Assert.Equal(durable, acked.Order());
            Assert.True(acked.Count > 0);
        }
    }
}
