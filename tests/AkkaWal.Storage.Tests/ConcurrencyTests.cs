using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AkkaWal.Storage.Tests;

public class ConcurrencyTests
{
    [Fact]
    public async Task Sixty_four_writers_each_see_acknowledgement_order_equal_to_log_order()
    {
        using var dir = new TempDirectory();
        const int writers = 64, perWriter = 150;
        var acks = new ConcurrentDictionary<int, List<long>>();
        await using (var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path, SegmentSize = 256 * 1024, MaxRecordSize = 1024 }))
        {
            var start = new TaskCompletionSource();
            var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                await start.Task;
                var mine = new List<long>();
                for (int i = 0; i < perWriter; i++)
                {
                    long pos = await wal.AppendAsync(Payloads.For(w * 1_000_000L + i, 20 + w));
                    mine.Add(pos);
                }
                acks[w] = mine;
            })).ToArray();
            start.SetResult();
            await Task.WhenAll(tasks);
        }
        await using (var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path, SegmentSize = 256 * 1024, MaxRecordSize = 1024 }))
        {
            var log = wal.ReadFrom().Select(r => (r.Position, Id: Payloads.IdOf(r.Payload.Span))).ToList();
            Assert.Equal(writers * perWriter, log.Count);
            foreach (var (w, positions) in acks)
            {
                var inLog = log.Where(r => r.Id / 1_000_000 == w).ToList();
                Assert.Equal(positions, inLog.Select(r => r.Position));                       // ack order == log order
                Assert.Equal(Enumerable.Range(0, perWriter).Select(i => w * 1_000_000L + i), inLog.Select(r => r.Id));
            }
        }
    }

    [Fact]
    public async Task Concurrent_appends_are_group_committed_and_metrics_are_reported()
    {
        using var dir = new TempDirectory();
        long appends = 0, maxGroup = 0, segments = 0, fsyncLatencies = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (inst, l) => { if (inst.Meter.Name == WalMetrics.MeterName) l.EnableMeasurementEvents(inst); };
        listener.SetMeasurementEventCallback<long>((inst, value, _, _) =>
        {
            if (inst.Name == "akkawal.storage.appends") Interlocked.Add(ref appends, value);
        });
        listener.SetMeasurementEventCallback<double>((inst, _, _, _) =>
        {
            if (inst.Name == "akkawal.storage.fsync.duration") Interlocked.Increment(ref fsyncLatencies);
        });
        listener.SetMeasurementEventCallback<int>((inst, value, tags, _) =>
        {
            if (inst.Name == "akkawal.storage.group.records") InterlockedMax(ref maxGroup, value);
            if (inst.Name == "akkawal.storage.segments" && tags.ToArray().Any(t => (string?)t.Value == dir.Path)) Interlocked.Exchange(ref segments, value);
        });
        listener.Start();
        var fs = new FaultInjectingFileSystem();
        await using var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path, FileSystem = fs });
        int flushesBefore = fs.Count(FaultOperation.FlushData);
        const int n = 2000;
        await Task.WhenAll(Enumerable.Range(0, n).Select(i => wal.AppendAsync(Payloads.For(i)).AsTask()));
        int flushes = fs.Count(FaultOperation.FlushData) - flushesBefore;
        Assert.InRange(flushes, 1, n - 1); // at least one fdatasync covered several appends
        listener.RecordObservableInstruments();
        Assert.True(Interlocked.Read(ref appends) >= n);
        Assert.True(Interlocked.Read(ref maxGroup) > 1);
        Assert.True(Interlocked.Read(ref fsyncLatencies) >= flushes);
        Assert.InRange(Interlocked.Read(ref segments), 1, wal.Segments.Count); // the preallocated next segment may still be in flight
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long cur;
        while ((cur = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, cur) != cur) { }
    }
}
