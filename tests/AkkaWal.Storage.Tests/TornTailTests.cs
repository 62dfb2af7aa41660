namespace AkkaWal.Storage.Tests;

public class TornTailTests
{
    [Fact]
    public async Task Truncating_the_last_record_at_every_byte_keeps_earlier_records_and_appends_continue()
    {
        using var master = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(master.Path), 5, size: 30);
        long last = positions[^1];
        long frameEnd = last + RecordFrame.HeaderSize + 30;
        for (long cut = last; cut < frameEnd; cut++)
        {
            using var dir = new TempDirectory();
            LogBuilder.CopyDirectory(master.Path, dir.Path);
            var (file, offset) = LogBuilder.Locate(dir.Path, cut);
            long cutOffset = offset;
            if (cut % 2 == 0)
            {
                // A short file (truncated by the file system), not a zeroed region.
                using var fs = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
                fs.SetLength(cutOffset);
            }
            else LogBuilder.Patch(file, cutOffset, new byte[frameEnd - cut]);

            await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path));
            Assert.Equal([0, 1, 2, 3], LogBuilder.Ids(wal));
            Assert.Equal(last, wal.DurableEnd);
            if (cut > last) Assert.NotNull(wal.Recovery.TruncatedTail);
            long p = await wal.AppendAsync(Payloads.For(100, 30));
            Assert.Equal(last, p);
            Assert.Equal([0, 1, 2, 3, 100], LogBuilder.Ids(wal));
        }
    }

    [Fact]
    public async Task Random_garbage_after_the_last_record_is_a_torn_tail_and_is_zeroed()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 10);
        long end = positions[^1] + RecordFrame.HeaderSize + 40;
        var (file, offset) = LogBuilder.Locate(dir.Path, end);
        var garbage = new byte[700];
        new Random(42).NextBytes(garbage);
        LogBuilder.Patch(file, offset, garbage);

        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), LogBuilder.Ids(wal));
            var torn = Assert.Single(wal.Recovery.OfKind(RecoveryEventKind.TornTailTruncated));
            Assert.Equal(file, torn.FilePath);
            Assert.Equal(offset, torn.FileOffset);
            Assert.Equal(new byte[700], LogBuilder.ReadBytes(file, offset, 700));
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());
    }

    [Fact]
    public async Task A_length_pointing_past_the_end_of_the_file_is_a_torn_tail_at_the_end_and_corruption_when_sealed()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 3);
        var (file, offset) = LogBuilder.Locate(dir.Path, positions[^1]);
        LogBuilder.Patch(file, offset, BitConverter.GetBytes(int.MaxValue));
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.Equal([0, 1], LogBuilder.Ids(wal));
            Assert.Contains("past the end", wal.Recovery.TruncatedTail!.Detail);
        }

        using var dir2 = new TempDirectory();
        var many = await LogBuilder.WriteAsync(LogBuilder.Small(dir2.Path), 1000);
        var (file2, offset2) = LogBuilder.Locate(dir2.Path, many[10]);
        LogBuilder.Patch(file2, offset2, BitConverter.GetBytes(1 << 20));
        var e = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(LogBuilder.Small(dir2.Path, verifySealed: true)));
        Assert.Equal(file2, e.FilePath);
        Assert.Equal(offset2, e.FileOffset);
        Assert.Contains(file2, e.Message);
        Assert.Contains(offset2.ToString(), e.Message);
    }

    [Fact]
    public async Task An_incomplete_batch_at_the_tail_is_dropped_whole()
    {
        using var dir = new TempDirectory();
        long[] batch;
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            await wal.AppendAsync(Payloads.For(1));
            batch = await wal.AppendBatchAsync([Payloads.For(2), Payloads.For(3), Payloads.For(4)]);
        }
        // Lose the batch's last frame, as if the power failed mid-write.
        var (file, offset) = LogBuilder.Locate(dir.Path, batch[2]);
        LogBuilder.Patch(file, offset, new byte[RecordFrame.HeaderSize + 16]);
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.Equal([1], LogBuilder.Ids(wal));
            Assert.Equal(batch[0], wal.DurableEnd);
            Assert.Contains("incomplete batch", wal.Recovery.TruncatedTail!.Detail);
        }
    }

    [Fact]
    public async Task AbsoluteConsistency_refuses_even_a_torn_tail()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 3);
        var (file, offset) = LogBuilder.Locate(dir.Path, positions[^1]);
        LogBuilder.FlipBit(file, offset + 12);
        var e = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.AbsoluteConsistency)));
        Assert.Equal(offset, e.FileOffset);
        Assert.Contains("torn tail", e.Message);
    }

    [Fact]
    public async Task Corruption_in_the_active_segment_beyond_the_torn_write_window_fails_the_open()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(new WalOptions { Directory = dir.Path, SegmentSize = 1 << 20, MaxRecordSize = 1024, MaxGroupBytes = 4096 }, 300);
        var (file, offset) = LogBuilder.Locate(dir.Path, positions[5]);
        LogBuilder.FlipBit(file, offset + 20);
        var e = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(new WalOptions { Directory = dir.Path, SegmentSize = 1 << 20, MaxRecordSize = 1024, MaxGroupBytes = 4096 }));
        Assert.Equal(offset, e.FileOffset);
        Assert.Contains("not a torn tail", e.Message);
    }
}

public class TornFirstPageTests
{
    [Fact]
    public async Task Garbage_behind_a_lost_first_page_of_a_new_segment_is_found_and_zeroed()
    {
        // The first write into a fresh segment lost its first page but a later page persisted: the segment's first
        // frame header reads as zero, yet it is not empty and must be cleaned before appends reuse it.
        using var dir = new TempDirectory();
        await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 10);
        var segments = Directory.GetFiles(dir.Path, "*.wal").Order().ToArray();
        Assert.Equal(2, segments.Length); // active + preallocated spare
        LogBuilder.Patch(segments[1], 2000, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            var torn = Assert.Single(wal.Recovery.OfKind(RecoveryEventKind.TornTailTruncated));
            Assert.Equal(segments[1], torn.FilePath);
            Assert.Equal(new byte[10], LogBuilder.ReadBytes(segments[1], 2000, 10));
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), LogBuilder.Ids(wal));
        }
    }
}
