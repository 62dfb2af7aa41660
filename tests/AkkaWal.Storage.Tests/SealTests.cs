namespace AkkaWal.Storage.Tests;

/// <summary>
/// Segment seals: by default open takes a sealed segment whose seal fits it without reading its frames, so open costs
/// the active segment, not the history; reads still check every frame (damage is found there, naming file and offset),
/// verification on request and the inspector still scan everything, and a seal that is missing, damaged or does not
/// fit only means that segment is scanned, after which it is sealed again.
/// </summary>
public class SealTests
{
    private const int Count = 1000; // 49-byte frames in 16 KiB segments: four segments

    private static string SealPath(TempDirectory dir) => Path.Combine(dir.Path, SegmentSealFile.FileName);

    /// <summary>Writes the log and flips a bit in record 100's payload (in the first, sealed segment).</summary>
    private static async Task<(long[] Positions, string File, long Offset)> WriteWithRecord100DamagedAsync(string dir)
    {
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir), Count);
        var (file, offset) = LogBuilder.Locate(dir, positions[100]);
        LogBuilder.FlipBit(file, offset + RecordFrame.HeaderSize + 5);
        return (positions, file, offset);
    }

    [Fact]
    public async Task Open_takes_sealed_segments_from_their_seals_and_scans_only_the_active_one()
    {
        using var dir = new TempDirectory();
        await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), Count);
        Assert.True(File.Exists(SealPath(dir)), "rolling wrote the seals");
        await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path));
        var sealedCount = wal.Segments.Count(s => s.IsSealed);
        Assert.True(sealedCount >= 3);
        Assert.Equal(sealedCount, wal.Recovery.SegmentsTrusted);
        Assert.Equal(Count, wal.Recovery.RecordsFound);
        var active = wal.Segments.Single(s => s.IsActive);
        Assert.Equal(active.EndPosition - active.FirstRecordPosition, wal.Recovery.BytesScanned);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), LogBuilder.Ids(wal));
        // Appends go on after a trusted open, and the next open still has everything.
        await wal.AppendAsync(Payloads.For(Count, 40));
        await wal.DisposeAsync();
        await using var again = WriteAheadLog.Open(LogBuilder.Small(dir.Path));
        Assert.Equal(Enumerable.Range(0, Count + 1).Select(i => (long)i), LogBuilder.Ids(again));
    }

    [Fact]
    public async Task Damage_in_a_sealed_segment_is_found_by_the_read_naming_file_and_offset_and_by_verification()
    {
        using var dir = new TempDirectory();
        var (positions, file, offset) = await WriteWithRecord100DamagedAsync(dir.Path);
        Assert.NotEqual(dir.SegmentFiles()[^1], file);

        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.True(wal.Recovery.SegmentsTrusted > 0);
            var e = Assert.Throws<WalCorruptionException>(() => LogBuilder.Ids(wal));
            Assert.Equal((file, offset), (e.FilePath, e.FileOffset));
            var at = Assert.Throws<WalCorruptionException>(() => wal.ReadAt(positions[100]));
            Assert.Equal((file, offset), (at.FilePath, at.FileOffset));
            Assert.Equal(Payloads.For(99, 40).ToArray(), wal.ReadAt(positions[99]).Payload.ToArray());
        }
        var verified = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(LogBuilder.Small(dir.Path, verifySealed: true)));
        Assert.Equal((file, offset), (verified.FilePath, verified.FileOffset));
        // AbsoluteConsistency checks every segment whatever the option says.
        Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.AbsoluteConsistency)));
        var scan = WalInspector.Scan(dir.Path);
        Assert.False(scan.IsValid);
        Assert.Equal((file, offset), (scan.Problems[0].FilePath, scan.Problems[0].FileOffset));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("damaged")]
    public async Task Without_a_usable_seal_file_open_scans_every_segment_and_writes_the_seals_again(string damage)
    {
        using var dir = new TempDirectory();
        await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), Count);
        if (damage == "missing") File.Delete(SealPath(dir));
        else LogBuilder.FlipBit(SealPath(dir), 30);
        int sealedCount;
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.Equal(0, wal.Recovery.SegmentsTrusted);
            sealedCount = wal.Segments.Count(s => s.IsSealed);
            Assert.Equal(Count, wal.Recovery.RecordsFound);
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.Equal(sealedCount, wal.Recovery.SegmentsTrusted);
            Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), LogBuilder.Ids(wal));
        }
    }

    [Fact]
    public async Task A_seal_that_does_not_fit_its_segment_is_not_used_and_the_scan_judges_the_segment()
    {
        using var dir = new TempDirectory();
        await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), Count, size: 60); // 69-byte frames leave 36 bytes at a segment's end
        // Bytes after the sealed data end of the first segment: the seal says data ends there, the segment disagrees.
        var first = dir.SegmentFiles()[0];
        long dataEnd;
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
            dataEnd = wal.Segments[0].EndPosition - wal.Segments[0].BaseOffset;
        Assert.True(dataEnd + RecordFrame.HeaderSize <= 16 * 1024);
        LogBuilder.Patch(first, dataEnd, [1, 0, 0, 0, 0, 0, 0, 0, 1]);
        var e = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(LogBuilder.Small(dir.Path)));
        Assert.Equal((first, dataEnd), (e.FilePath, e.FileOffset));
        Assert.Contains("sealed", e.Message);
    }

    [Fact]
    public async Task Repair_modes_scan_every_segment_and_a_dropped_segment_loses_its_seal()
    {
        using var dir = new TempDirectory();
        var (positions, file, offset) = await WriteWithRecord100DamagedAsync(dir.Path);
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, RecoveryMode.PointInTime)))
        {
            Assert.Equal(0, wal.Recovery.SegmentsTrusted);
            Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), LogBuilder.Ids(wal));
        }
        // The segments after the cut were set aside: no seal of theirs is left to meet a segment created at their base.
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.Equal(0, wal.Recovery.SegmentsTrusted);
            for (int i = 100; i < Count; i++) await wal.AppendAsync(Payloads.For(i, 40));
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.True(wal.Recovery.SegmentsTrusted > 0);
            Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), LogBuilder.Ids(wal));
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, verifySealed: true)))
            Assert.Equal(0, wal.Recovery.SegmentsTrusted);
    }

    [Fact]
    public async Task A_power_cut_at_any_step_of_a_repair_in_a_sealed_segment_leaves_a_log_that_reads_back_what_is_appended()
    {
        using var master = new TempDirectory();
        var (positions, file, offset) = await WriteWithRecord100DamagedAsync(master.Path);
        WalOptions Repair(string dir, FaultInjectingFileSystem fs) => LogBuilder.Small(dir, RecoveryMode.PointInTime, fs);
        int ops;
        using (var probe = new TempDirectory())
        {
            LogBuilder.CopyDirectory(master.Path, probe.Path);
            var fs = new FaultInjectingFileSystem();
            await using (WriteAheadLog.Open(Repair(probe.Path, fs))) { }
            ops = fs.Count(FaultOperation.Any);
        }
        for (int k = 1; k <= ops; k++)
        {
            using var dir = new TempDirectory();
            LogBuilder.CopyDirectory(master.Path, dir.Path);
            var fs = new FaultInjectingFileSystem();
            fs.PowerCutAt(FaultOperation.Any, k);
            try
            {
                await using var cut = WriteAheadLog.Open(Repair(dir.Path, fs));
            }
            catch (IOException) { /* the power cut */ }
            WriteAheadLog wal;
            try { wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)); }
            catch (WalCorruptionException e)
            {
                Assert.Equal(Path.GetFileName(file), Path.GetFileName(e.FilePath)); // the damage is still there: refused
                continue;
            }
            await using var _ = wal;
            var appended = await wal.AppendAsync(Payloads.For(5000, 40));
            List<long> ids;
            try { ids = LogBuilder.Ids(wal); }
            catch (WalCorruptionException) { continue; } // a sealed segment taken from its seal still holds the damage
            Assert.Equal(5000, ids[^1]);
            Assert.Equal(ids.Order(), ids);
            Assert.Equal(Payloads.For(5000, 40).ToArray(), wal.ReadAt(appended).Payload.ToArray());
        }
    }
}
