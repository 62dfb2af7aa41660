namespace AkkaWal.Storage.Tests;

public class RoundTripTests
{
    private static WalOptions Options(string dir, long segment = 64 * 1024 * 1024, int maxRecord = 8 * 1024 * 1024) =>
        new() { Directory = dir, SegmentSize = segment, MaxRecordSize = maxRecord };

    [Fact]
    public void Empty_log_opens_reads_nothing_and_reopens()
    {
        using var dir = new TempDirectory();
        using (var wal = WriteAheadLog.Open(Options(dir.Path)))
        {
            Assert.Empty(wal.ReadFrom(0));
            Assert.Equal(SegmentHeader.Size, wal.DurableEnd);
            Assert.True(wal.Recovery.IsClean);
        }
        using (var wal = WriteAheadLog.Open(Options(dir.Path)))
        {
            Assert.Empty(wal.ReadFrom(0));
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());
        }
    }

    [Fact]
    public async Task One_record_round_trips_through_reopen()
    {
        using var dir = new TempDirectory();
        long pos;
        await using (var wal = WriteAheadLog.Open(Options(dir.Path)))
        {
            pos = await wal.AppendAsync("hello"u8.ToArray());
            Assert.Equal(SegmentHeader.Size, pos);
            Assert.Equal(pos + RecordFrame.HeaderSize + 5, wal.DurableEnd);
            Assert.Equal("hello"u8.ToArray(), wal.ReadAt(pos).Payload.ToArray());
        }
        await using (var wal = WriteAheadLog.Open(Options(dir.Path)))
        {
            var all = wal.ReadFrom().ToList();
            Assert.Single(all);
            Assert.Equal(pos, all[0].Position);
            Assert.Equal("hello"u8.ToArray(), all[0].Payload.ToArray());
            Assert.Equal(1, wal.Recovery.RecordsFound);
        }
    }

    [Fact]
    public async Task Hundred_thousand_records_round_trip_in_order()
    {
        using var dir = new TempDirectory();
        const int n = 100_000;
        var positions = new long[n];
        await using (var wal = WriteAheadLog.Open(Options(dir.Path, segment: 1024 * 1024, maxRecord: 4096)))
        {
            const int window = 256; // many appends in flight so group commit batches them
            var inflight = new Task<long>[n];
            for (int i = 0; i < n; i++)
            {
                inflight[i] = wal.AppendAsync(Payloads.For(i)).AsTask();
                if (i >= window) await inflight[i - window];
            }
            for (int i = 0; i < n; i++) positions[i] = await inflight[i];
            Assert.True(positions.Zip(positions.Skip(1)).All(p => p.First < p.Second));
        }
        await using (var wal = WriteAheadLog.Open(Options(dir.Path, segment: 1024 * 1024, maxRecord: 4096)))
        {
            int i = 0;
            foreach (var r in wal.ReadFrom(0))
            {
                Assert.Equal(positions[i], r.Position);
                Assert.True(Payloads.Matches(i, r.Payload.Span));
                i++;
            }
            Assert.Equal(n, i);
            Assert.True(wal.Segments.Count > 2);
            Assert.True(Payloads.Matches(77_777, wal.ReadAt(positions[77_777]).Payload.Span));
            // ReadFrom a middle position starts exactly there.
            Assert.Equal(positions[50_000], wal.ReadFrom(positions[50_000]).First().Position);
        }
    }

    [Fact]
    public async Task Records_across_segment_boundaries_keep_positions_and_the_chain()
    {
        using var dir = new TempDirectory();
        var opts = Options(dir.Path, segment: 4096, maxRecord: 1000);
        var written = new List<(long Pos, byte[] Data)>();
        await using (var wal = WriteAheadLog.Open(opts))
        {
            for (int i = 0; i < 60; i++)
            {
                var data = Payloads.For(i, 100 + i * 13 % 800);
                written.Add((await wal.AppendAsync(data), data));
            }
            Assert.True(wal.Segments.Count(s => s.IsSealed) >= 5);
            foreach (var s in wal.Segments)
                Assert.Equal(Path.Combine(dir.Path, SegmentHeader.FileNameFor(s.BaseOffset)), s.Path);
        }
        await using (var wal = WriteAheadLog.Open(opts))
        {
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());
            var all = wal.ReadFrom().ToList();
            Assert.Equal(written.Select(w => w.Pos), all.Select(r => r.Position));
            for (int i = 0; i < all.Count; i++) Assert.Equal(written[i].Data, all[i].Payload.ToArray());
            foreach (var w in written) Assert.Equal(w.Data, wal.ReadAt(w.Pos).Payload.ToArray());
            // Reading from a position inside a later segment.
            Assert.Equal(written.Skip(40).Select(w => w.Pos), wal.ReadFrom(written[40].Pos).Select(r => r.Position));
            // Appends continue after reopen.
            long next = await wal.AppendAsync(new byte[] { 1 });
            Assert.True(next > written[^1].Pos);
        }
    }

    [Fact]
    public async Task Zero_length_and_maximum_size_records_round_trip()
    {
        using var dir = new TempDirectory();
        var opts = Options(dir.Path, segment: 1 << 20, maxRecord: 200_000);
        var max = Payloads.For(9, 200_000);
        long p0, p1, p2;
        await using (var wal = WriteAheadLog.Open(opts))
        {
            p0 = await wal.AppendAsync(ReadOnlyMemory<byte>.Empty);
            p1 = await wal.AppendAsync(max);
            p2 = await wal.AppendAsync(ReadOnlyMemory<byte>.Empty);
            var tooBig = await Assert.ThrowsAsync<RecordTooLargeException>(async () => await wal.AppendAsync(new byte[200_001]));
            Assert.Contains("200001", tooBig.Message);
            Assert.Null(wal.Failure);
        }
        await using (var wal = WriteAheadLog.Open(opts))
        {
            var all = wal.ReadFrom().ToList();
            Assert.Equal([p0, p1, p2], all.Select(r => r.Position));
            Assert.Equal(0, all[0].Payload.Length);
            Assert.Equal(max, all[1].Payload.ToArray());
            Assert.Equal(0, all[2].Payload.Length);
        }
    }

    [Fact]
    public async Task Batch_returns_consecutive_positions_and_reads_back()
    {
        using var dir = new TempDirectory();
        await using var wal = WriteAheadLog.Open(Options(dir.Path));
        var payloads = Enumerable.Range(0, 5).Select(i => (ReadOnlyMemory<byte>)Payloads.For(i)).ToList();
        var positions = await wal.AppendBatchAsync(payloads);
        Assert.Equal(5, positions.Length);
        Assert.Equal(positions, wal.ReadFrom().Select(r => r.Position));
        Assert.Empty(await wal.AppendBatchAsync([]));
        var single = await wal.AppendBatchAsync([Payloads.For(99)]);
        Assert.True(Payloads.Matches(99, wal.ReadAt(single[0]).Payload.Span));
    }

    [Fact]
    public async Task Readers_see_only_durable_records_and_ReadAt_rejects_non_record_positions()
    {
        using var dir = new TempDirectory();
        await using var wal = WriteAheadLog.Open(Options(dir.Path));
        long p = await wal.AppendAsync(Payloads.For(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.ReadAt(wal.DurableEnd));
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.ReadAt(p + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.ReadAt(3));
        Assert.Empty(wal.ReadFrom(wal.DurableEnd));
    }

    [Fact]
    public async Task Interval_and_None_modes_acknowledge_and_persist_on_close()
    {
        foreach (var mode in new[] { DurabilityMode.Interval, DurabilityMode.None })
        {
            using var dir = new TempDirectory();
            var opts = new WalOptions { Directory = dir.Path, Durability = mode, FsyncInterval = TimeSpan.FromMilliseconds(5), SegmentSize = 8192, MaxRecordSize = 1024 };
            var tasks = new List<Task<long>>();
            await using (var wal = WriteAheadLog.Open(opts))
            {
                for (int i = 0; i < 200; i++) tasks.Add(wal.AppendAsync(Payloads.For(i)).AsTask());
                await Task.WhenAll(tasks);
                Assert.Equal(200, wal.ReadFrom().Count());
            }
            await using (var wal = WriteAheadLog.Open(opts))
                Assert.Equal(tasks.Select(t => t.Result), wal.ReadFrom().Select(r => r.Position));
        }
    }
}

public class ReconfigurationTests
{
    [Fact]
    public async Task Reopening_with_larger_segments_and_records_keeps_old_segments_and_fits_big_records()
    {
        using var dir = new TempDirectory();
        var small = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 200); // 16 KiB segments, 1 KiB records
        var big = new WalOptions { Directory = dir.Path, SegmentSize = 1 << 20, MaxRecordSize = 100_000 }; // window 1 MiB > old 4 KiB
        long p1, p2;
        await using (var wal = WriteAheadLog.Open(big))
        {
            p1 = await wal.AppendAsync(Payloads.For(1000, 50_000)); // larger than the old 16 KiB spare segment and its window
            p2 = await wal.AppendAsync(Payloads.For(1001, 40));
        }
        await using (var wal = WriteAheadLog.Open(big))
        {
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());
            Assert.Equal(small.Append(p1).Append(p2), wal.ReadFrom().Select(r => r.Position));
            Assert.True(Payloads.Matches(1000, wal.ReadAt(p1).Payload.Span, 50_000));
            Assert.Contains(wal.Segments, s => s.Capacity == 16 * 1024);
            Assert.Contains(wal.Segments, s => s.Capacity == 1 << 20);
            // Many small appends at once: groups in an old segment stay within its 4 KiB window.
            await Task.WhenAll(Enumerable.Range(0, 300).Select(i => wal.AppendAsync(Payloads.For(2000 + i, 100)).AsTask()));
        }
        Assert.True(WalInspector.Scan(dir.Path).IsValid);
    }
}
