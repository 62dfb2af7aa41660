namespace AkkaWal.Storage.Tests;

/// <summary>Damage inside the torn-write window of the active segment: a torn tail only when nothing valid follows it or a
/// dropped (all-zero) sector separates it from what follows; otherwise acknowledged records follow and it is corruption.</summary>
public class ActiveSegmentCorruptionTests
{
    private const int Count = 40; // 49-byte frames: all in the active segment, all within its 4096-byte window
    private const int Victim = 10;

    private static async Task<(TempDirectory Dir, long[] Positions, string File, long Offset)> ActiveBitFlipAsync(int byteInFrame)
    {
        var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), Count);
        var (file, offset) = LogBuilder.Locate(dir.Path, positions[Victim]);
        var (lastFile, lastOffset) = LogBuilder.Locate(dir.Path, positions[^1]);
        Assert.Equal(file, lastFile); // the active segment
        Assert.True(lastOffset + 49 - offset < 4096, "the damage lies inside the torn-write window");
        LogBuilder.FlipBit(file, offset + byteInFrame);
        return (dir, positions, file, offset);
    }

    [Theory]
    [InlineData(0)]   // length
    [InlineData(5)]   // checksum
    [InlineData(8)]   // type
    [InlineData(30)]  // payload
    public async Task Bit_flip_in_an_acknowledged_record_followed_by_more_fails_the_default_open_naming_file_and_offset(int byteInFrame)
    {
        var (dir, _, file, offset) = await ActiveBitFlipAsync(byteInFrame);
        using var _d = dir;
        var before = File.ReadAllBytes(file);
        var e = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(LogBuilder.Small(dir.Path)));
        Assert.Equal(file, e.FilePath);
        Assert.Equal(offset, e.FileOffset);
        Assert.Contains(file, e.Message);
        Assert.Contains(offset.ToString(), e.Message);
        Assert.Contains("not a torn tail", e.Message);
        Assert.Equal(before, File.ReadAllBytes(file)); // nothing zeroed
    }

    [Fact]
    public async Task AbsoluteConsistency_refuses_it_too()
    {
        var (dir, _, file, offset) = await ActiveBitFlipAsync(30);
        using var _d = dir;
        var e = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.AbsoluteConsistency)));
        Assert.Equal(file, e.FilePath);
        Assert.Equal(offset, e.FileOffset);
        Assert.Contains("not a torn tail", e.Message);
    }

    [Fact]
    public async Task PointInTime_cuts_at_the_damage_and_reports_it_as_dropped_data()
    {
        var (dir, positions, file, offset) = await ActiveBitFlipAsync(30);
        using var _d = dir;
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.PointInTime)))
        {
            Assert.Equal(Enumerable.Range(0, Victim).Select(i => (long)i), LogBuilder.Ids(wal));
            var dropped = Assert.Single(wal.Recovery.OfKind(RecoveryEventKind.DataDropped));
            Assert.Equal(file, dropped.FilePath);
            Assert.Equal(offset, dropped.FileOffset);
            Assert.Contains("not a torn tail", dropped.Detail);
            Assert.Empty(wal.Recovery.OfKind(RecoveryEventKind.TornTailTruncated));
            Assert.Equal(positions[Victim], await wal.AppendAsync(Payloads.For(5000, 40)));
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());
            Assert.Equal(Enumerable.Range(0, Victim).Select(i => (long)i).Append(5000), LogBuilder.Ids(wal));
        }
    }

    [Fact]
    public async Task SkipCorrupted_skips_only_the_damaged_record_and_keeps_the_later_ones()
    {
        var (dir, positions, file, offset) = await ActiveBitFlipAsync(30);
        using var _d = dir;
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.SkipCorrupted)))
        {
            Assert.Equal(Enumerable.Range(0, Count).Where(i => i != Victim).Select(i => (long)i), LogBuilder.Ids(wal));
            var skipped = Assert.Single(wal.Recovery.OfKind(RecoveryEventKind.CorruptionSkipped));
            Assert.Equal(file, skipped.FilePath);
            Assert.Equal(offset, skipped.FileOffset);
            Assert.Equal(positions[Victim + 1] - positions[Victim], skipped.Length);
            Assert.Empty(wal.Recovery.OfKind(RecoveryEventKind.TornTailTruncated));
            long p = await wal.AppendAsync(Payloads.For(5000, 40));
            Assert.Equal(positions[^1] + 49, p);
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.SkipCorrupted)))
            Assert.Equal(Enumerable.Range(0, Count).Where(i => i != Victim).Select(i => (long)i).Append(5000), LogBuilder.Ids(wal));
    }

    [Fact]
    public async Task The_inspector_calls_it_a_frame_problem_not_a_torn_tail()
    {
        var (dir, _, file, offset) = await ActiveBitFlipAsync(30);
        using var _d = dir;
        var result = WalInspector.Scan(dir.Path);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(WalProblemKind.Frame, problem.Kind);
        Assert.Equal((file, offset), (problem.FilePath, problem.FileOffset));
    }

    [Theory]
    [InlineData(false)] // the dropped sector lies wholly after the damaged frame's start
    [InlineData(true)]  // the write began mid-sector: the sector reads zero from the damage on, its start is older data
    public async Task A_dropped_sector_before_later_valid_frames_is_a_torn_write_and_everything_from_it_is_zeroed(bool fromFrameStart)
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), Count);
        var (file, _) = LogBuilder.Locate(dir.Path, positions[0]);
        long segBase = positions[0] - LogBuilder.Locate(dir.Path, positions[0]).Offset;
        long zeroFrom, zeroTo;
        if (fromFrameStart)
        {
            // A frame that starts mid-sector: zero from it to the end of its sector.
            int k = Enumerable.Range(5, Count - 10).First(i => (positions[i] - segBase) % 512 > 100);
            zeroFrom = positions[k] - segBase;
            zeroTo = (zeroFrom / 512 + 1) * 512;
        }
        else
        {
            zeroFrom = ((positions[5] - segBase) / 512 + 1) * 512;
            zeroTo = zeroFrom + 512;
        }
        Assert.True(zeroTo + 2 * 49 < positions[^1] - segBase, "valid frames follow the dropped sector");
        LogBuilder.Patch(file, zeroFrom, new byte[zeroTo - zeroFrom]);
        // The first frame the dropped sector touches is where the log ends.
        int firstLost = Enumerable.Range(0, Count).First(i => positions[i] - segBase + 49 > zeroFrom);
        long cut = positions[firstLost] - segBase;

        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.Equal(Enumerable.Range(0, firstLost).Select(i => (long)i), LogBuilder.Ids(wal));
            var torn = Assert.Single(wal.Recovery.OfKind(RecoveryEventKind.TornTailTruncated));
            Assert.Equal(file, torn.FilePath);
            Assert.Equal(cut, torn.FileOffset);
            long end = positions[^1] - segBase + 49;
            Assert.Equal(new byte[end - cut], LogBuilder.ReadBytes(file, cut, (int)(end - cut)));
            Assert.Equal(positions[firstLost], await wal.AppendAsync(Payloads.For(5000, 40)));
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());
    }

    [Fact]
    public async Task A_torn_tail_of_zeros_and_random_bytes_with_nothing_valid_after_is_still_truncated()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), Count);
        var (file, offset) = LogBuilder.Locate(dir.Path, positions[^3]);
        // The last three records' write was torn: a zeroed piece, then random bytes where the rest should be.
        var torn = new byte[3 * 49 + 300];
        new Random(11).NextBytes(torn.AsSpan(30));
        LogBuilder.Patch(file, offset, torn);
        await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path));
        Assert.Equal(Enumerable.Range(0, Count - 3).Select(i => (long)i), LogBuilder.Ids(wal));
        var cut = Assert.Single(wal.Recovery.OfKind(RecoveryEventKind.TornTailTruncated));
        Assert.Equal((file, offset), (cut.FilePath, cut.FileOffset));
        Assert.Equal(new byte[torn.Length], LogBuilder.ReadBytes(file, offset, torn.Length));
    }
}
