namespace AkkaWal.Storage.Tests;

public class CorruptionTests
{
    private const int Count = 1000; // 49-byte frames in 16 KiB segments: four segments

    private static async Task<(TempDirectory Dir, long[] Positions, string File, long Offset)> SealedBitFlipAsync(int victim = 100)
    {
        var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), Count);
        var (file, offset) = LogBuilder.Locate(dir.Path, positions[victim]);
        Assert.NotEqual(dir.SegmentFiles()[^1], file);
        LogBuilder.FlipBit(file, offset + RecordFrame.HeaderSize + 5);
        return (dir, positions, file, offset);
    }

    [Theory]
    [InlineData(RecoveryMode.TolerateCorruptedTail)]
    [InlineData(RecoveryMode.AbsoluteConsistency)]
    public async Task Bit_flip_in_a_sealed_segment_fails_the_open_naming_file_and_offset(RecoveryMode mode)
    {
        var (dir, _, file, offset) = await SealedBitFlipAsync();
        using var _d = dir;
        // Open checks a sealed segment's frames when asked to (or in AbsoluteConsistency); by default it trusts the
        // segment's seal and the damage is found by the read instead (SealTests).
        var options = LogBuilder.Small(dir.Path, mode, verifySealed: true);
        var e = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(options));
        Assert.Equal(file, e.FilePath);
        Assert.Equal(offset, e.FileOffset);
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains("sealed", e.Message);
        // The failed open released the lock and changed nothing.
        Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(options));
    }

    [Fact]
    public async Task Bit_flip_in_a_sealed_segment_under_PointInTime_drops_everything_after_and_reports_it()
    {
        var (dir, positions, file, offset) = await SealedBitFlipAsync();
        using var _d = dir;
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.PointInTime)))
        {
            Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), LogBuilder.Ids(wal));
            var dropped = Assert.Single(wal.Recovery.OfKind(RecoveryEventKind.DataDropped));
            Assert.Equal(file, dropped.FilePath);
            Assert.Equal(offset, dropped.FileOffset);
            Assert.NotEmpty(wal.Recovery.OfKind(RecoveryEventKind.SegmentDropped));
            Assert.NotEmpty(Directory.GetFiles(dir.Path, "*.dropped"));
            // Appends continue right where the log was cut.
            Assert.Equal(positions[100], await wal.AppendAsync(Payloads.For(5000)));
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());
            Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i).Append(5000), LogBuilder.Ids(wal));
        }
    }

    [Fact]
    public async Task Bit_flip_in_a_sealed_segment_under_SkipCorrupted_loses_only_that_record()
    {
        var (dir, positions, file, offset) = await SealedBitFlipAsync();
        using var _d = dir;
        await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.SkipCorrupted));
        var expected = Enumerable.Range(0, Count).Where(i => i != 100).Select(i => (long)i).ToList();
        Assert.Equal(expected, LogBuilder.Ids(wal));
        var skipped = Assert.Single(wal.Recovery.OfKind(RecoveryEventKind.CorruptionSkipped));
        Assert.Equal(file, skipped.FilePath);
        Assert.Equal(offset, skipped.FileOffset);
        Assert.Equal(positions[101] - positions[100], skipped.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.ReadAt(positions[100]));
        long p = await wal.AppendAsync(Payloads.For(5000));
        Assert.Equal(5000, Payloads.IdOf(wal.ReadAt(p).Payload.Span));
        Assert.Equal(Count - 1 + 1, wal.ReadFrom().Count());
    }

    [Fact]
    public async Task A_missing_middle_segment_is_detected()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), Count);
        var segments = dir.SegmentFiles();
        File.Delete(segments[1]);
        var e = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(LogBuilder.Small(dir.Path)));
        Assert.Equal(segments[2], e.FilePath);
        Assert.Contains("missing", e.Message);

        await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.PointInTime));
        var ids = LogBuilder.Ids(wal);
        Assert.Equal(Enumerable.Range(0, ids.Count).Select(i => (long)i), ids);
        Assert.True(ids.Count < Count);
        Assert.NotEmpty(wal.Recovery.OfKind(RecoveryEventKind.SegmentDropped));
    }

    [Fact]
    public async Task A_segment_from_another_log_breaks_the_chain()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        await LogBuilder.WriteAsync(LogBuilder.Small(a.Path), Count);
        await LogBuilder.WriteAsync(LogBuilder.Small(b.Path), Count, size: 41);
        var victim = a.SegmentFiles()[1];
        File.Copy(Path.Combine(b.Path, Path.GetFileName(victim)), victim, overwrite: true);
        var e = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(LogBuilder.Small(a.Path)));
        Assert.Contains("foreign", e.Message);
    }

    [Fact]
    public async Task Leftover_temp_files_are_removed_and_reported()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 10);
        string rollTmp = Path.Combine(dir.Path, SegmentHeader.FileNameFor(1 << 30) + ".tmp");
        string compactTmp = dir.SegmentFiles()[0] + ".tmp";
        File.WriteAllBytes(rollTmp, new byte[100]);
        File.WriteAllBytes(compactTmp, new byte[5000]);
        await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path));
        Assert.Equal([compactTmp, rollTmp], wal.Recovery.TempFilesRemoved.Order());
        Assert.False(File.Exists(rollTmp));
        Assert.False(File.Exists(compactTmp));
        Assert.Equal(10, wal.ReadFrom().Count());
    }

    [Fact]
    public async Task A_damaged_segment_header_names_the_file()
    {
        using var dir = new TempDirectory();
        await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), Count);
        var victim = dir.SegmentFiles()[1];
        LogBuilder.FlipBit(victim, 20);
        var e = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(LogBuilder.Small(dir.Path)));
        Assert.Equal(victim, e.FilePath);
        Assert.Contains("header checksum", e.Message);
    }
}
