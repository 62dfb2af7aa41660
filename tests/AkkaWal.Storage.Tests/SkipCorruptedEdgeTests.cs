namespace AkkaWal.Storage.Tests;

/// <summary>Issue 8 item 12: SkipCorrupted edge cases.</summary>
public class SkipCorruptedEdgeTests
{
    [Fact]
    public async Task Compaction_keeps_a_skipped_range_shorter_than_a_frame_header_between_two_kept_records()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 1000);
        // Record 5's 49-byte frame becomes 4 junk bytes followed by a valid 45-byte frame: SkipCorrupted skips 4 bytes.
        var (file, offset) = LogBuilder.Locate(dir.Path, positions[5]);
        var patch = new byte[RecordFrame.HeaderSize + 40];
        patch[0] = 0xFF; patch[1] = 0xFF; patch[2] = 0xFF; patch[3] = 0x7F;
        RecordFrame.Write(patch.AsSpan(4), RecordType.Full, Payloads.For(5, 36));
        LogBuilder.Patch(file, offset, patch);
        var expected = Enumerable.Range(0, 1000).Select(i => (long)i).ToList();

        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.SkipCorrupted)))
        {
            var skipped = Assert.Single(wal.Recovery.Events, e => e.Kind == RecoveryEventKind.CorruptionSkipped);
            Assert.Equal((offset, 4L), (skipped.FileOffset, skipped.Length));
            Assert.Equal(expected, LogBuilder.Ids(wal));

            await wal.CompactAsync(_ => true); // rewrites segment 0: it has a skipped range

            Assert.Null(wal.Failure);
            Assert.Equal(expected, LogBuilder.Ids(wal));
        }
        await using var reopened = WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.SkipCorrupted));
        Assert.Equal(expected, LogBuilder.Ids(reopened));
    }

    [Fact]
    public async Task A_damaged_header_on_the_last_segment_with_data_makes_the_previous_segment_active_only_after_checking_its_tail()
    {
        using var dir = new TempDirectory();
        var options = LogBuilder.Small(dir.Path);
        await using (var wal = WriteAheadLog.Open(options))
        {
            // 15 frames of 1033 bytes fill segment 0 up to 15559, leaving 825 bytes it can never use; then segment 1.
            for (int i = 0; i < 20; i++) await wal.AppendAsync(Payloads.For(i, 1024));
        }
        var segments = dir.SegmentFiles();
        long dataEnd = SegmentHeader.Size + 15L * (RecordFrame.HeaderSize + 1024);
        // Junk after segment 0's data end, beyond a zero gap (a non-last scan stops at the zero header before it),
        // and a damaged header on segment 1.
        byte[] junk = Enumerable.Repeat((byte)0xAB, 100).ToArray();
        LogBuilder.Patch(segments[0], 16200, junk);
        LogBuilder.FlipBit(segments[1], 20);

        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.SkipCorrupted)))
        {
            Assert.Contains(wal.Recovery.Events, e => e.Kind == RecoveryEventKind.SegmentDropped && e.FilePath == segments[1]);
            var cut = Assert.Single(wal.Recovery.Events, e => e.FilePath == segments[0]);
            Assert.Equal((RecoveryEventKind.TornTailTruncated, dataEnd), (cut.Kind, cut.FileOffset));
            Assert.Equal(new byte[100], LogBuilder.ReadBytes(segments[0], 16200, 100));
            Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)i), LogBuilder.Ids(wal));
            await wal.AppendAsync(Payloads.For(100, 40)); // appends continue in segment 0
        }
        await using var reopened = WriteAheadLog.Open(options); // the default mode finds nothing wrong with segment 0
        Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)i).Append(100), LogBuilder.Ids(reopened));
    }
}
