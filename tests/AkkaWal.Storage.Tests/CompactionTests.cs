namespace AkkaWal.Storage.Tests;

public class CompactionTests
{
    private const int Count = 1000;

    private static bool KeepEven(LogRecord r) => Payloads.IdOf(r.Payload.Span) % 2 == 0;

    [Fact]
    public async Task Compaction_keeps_positions_and_bytes_of_kept_records_and_hides_removed_ones()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), Count);
        await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path));
        var sealedInfo = wal.Segments.Where(s => s.IsSealed).ToList();
        Assert.True(sealedInfo.Count >= 2);
        long sealedEnd = sealedInfo[^1].EndPosition;
        var before = positions.Select(p => wal.ReadAt(p).Payload.ToArray()).ToList();
        var reader = wal.ReadFrom(0).GetEnumerator(); // a reader holding the old files keeps working
        Assert.True(reader.MoveNext());

        var result = await wal.CompactAsync(KeepEven);

        Assert.Equal(sealedInfo.Count, result.SegmentsRewritten);
        long removedExpected = positions.Count(p => p < sealedEnd) / 2;
        Assert.Equal(removedExpected, result.RecordsRemoved);
        Assert.True(result.BytesReclaimed > 0);
        for (int i = 0; i < Count; i++)
        {
            if (positions[i] >= sealedEnd || i % 2 == 0) Assert.Equal(before[i], wal.ReadAt(positions[i]).Payload.ToArray());
            else Assert.Throws<ArgumentOutOfRangeException>(() => wal.ReadAt(positions[i]));
        }
        var expected = Enumerable.Range(0, Count).Where(i => i % 2 == 0 || positions[i] >= sealedEnd).ToList();
        Assert.Equal(expected.Select(i => positions[i]), wal.ReadFrom().Select(r => r.Position));
        // Reading from a removed record's position starts at the next kept one.
        foreach (int from in new[] { 1, 3, 101, 333 })
            Assert.Equal(expected.Where(i => i > from).Select(i => positions[i]), wal.ReadFrom(positions[from]).Select(r => r.Position));
        int seen = 1;
        while (reader.MoveNext()) seen++;
        Assert.True(seen >= expected.Count);

        // Appends went on; the rewritten files are sparse and a reopen is clean.
        long p = await wal.AppendAsync(Payloads.For(77_777));
        Assert.Equal(77_777, Payloads.IdOf(wal.ReadAt(p).Payload.Span));
    }

    [Fact]
    public async Task Compacted_log_reopens_clean_with_the_same_records_and_a_second_compaction_merges_runs()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), Count);
        List<long> afterFirst;
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            await wal.CompactAsync(KeepEven);
            afterFirst = wal.ReadFrom().Select(r => r.Position).ToList();
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());
            Assert.Equal(afterFirst, wal.ReadFrom().Select(r => r.Position));
            var r = await wal.CompactAsync(rec => Payloads.IdOf(rec.Payload.Span) % 4 == 0, s => s.SegmentNumber == 0);
            Assert.Equal(1, r.SegmentsRewritten);
            var all = LogBuilder.Ids(wal);
            long firstSegEnd = wal.Segments[0].EndPosition;
            Assert.All(wal.ReadFrom().Where(x => x.Position < firstSegEnd), x => Assert.Equal(0, Payloads.IdOf(x.Payload.Span) % 4));
            Assert.Equal(all.Order(), all);
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());
    }

    [Fact]
    public async Task Removing_every_record_and_tiny_records_still_leaves_a_valid_segment()
    {
        using var dir = new TempDirectory();
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            // Zero-length and 1..7-byte records make removed runs shorter than a 17-byte padding frame.
            for (int i = 0; i < 3000; i++) await wal.AppendAsync(new byte[i % 9]);
            var r = await wal.CompactAsync(rec => rec.Payload.Length == 3 || rec.Payload.Length == 8);
            Assert.True(r.RecordsRemoved > 0);
            Assert.All(wal.ReadFrom().Where(x => x.Position < wal.Segments.First(s => !s.IsSealed).BaseOffset),
                x => Assert.True(x.Payload.Length is 3 or 8));
            await wal.CompactAsync(_ => false);
            Assert.All(wal.ReadFrom(), x => Assert.True(x.Position >= wal.Segments.First(s => !s.IsSealed).BaseOffset));
        }
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());
    }

    [Fact]
    public async Task Kept_batch_records_become_full_records_and_appends_run_during_compaction()
    {
        using var dir = new TempDirectory();
        await using var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path));
        var batches = new List<long[]>();
        for (int i = 0; i < 300; i++)
            batches.Add(await wal.AppendBatchAsync([Payloads.For(i * 3), Payloads.For(i * 3 + 1), Payloads.For(i * 3 + 2)]));
        var appending = Task.Run(async () =>
        {
            var ps = new List<long>();
            for (int i = 0; i < 300; i++) ps.Add(await wal.AppendAsync(Payloads.For(10_000 + i)));
            return ps;
        });
        await wal.CompactAsync(r => Payloads.IdOf(r.Payload.Span) % 3 != 1);
        var appended = await appending;
        foreach (var p in appended) Assert.True(Payloads.IdOf(wal.ReadAt(p).Payload.Span) >= 10_000);
        var ids = LogBuilder.Ids(wal);
        Assert.Equal(ids.Order(), ids);
        await wal.DisposeAsync();
        await using var reopened = WriteAheadLog.Open(LogBuilder.Small(dir.Path));
        Assert.True(reopened.Recovery.IsClean, reopened.Recovery.ToString());
        Assert.Equal(ids, LogBuilder.Ids(reopened));
    }

    [Fact]
    public async Task A_crash_at_each_step_of_a_compaction_leaves_every_kept_record_exactly_once()
    {
        using var master = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(master.Path), Count);
        // Count the file operations of one compaction.
        int ops;
        using (var probe = new TempDirectory())
        {
            LogBuilder.CopyDirectory(master.Path, probe.Path);
            var fs = new FaultInjectingFileSystem();
            await using var wal = WriteAheadLog.Open(LogBuilder.Small(probe.Path, fs: fs));
            int start = fs.Count(FaultOperation.Any);
            await wal.CompactAsync(KeepEven);
            ops = fs.Count(FaultOperation.Any) - start;
        }
        Assert.True(ops > 10);
        for (int k = 1; k <= ops; k++)
        {
            using var dir = new TempDirectory();
            LogBuilder.CopyDirectory(master.Path, dir.Path);
            var fs = new FaultInjectingFileSystem();
            await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, fs: fs)))
            {
                fs.PowerCutAt(FaultOperation.Any, k);
                var e = await Assert.ThrowsAnyAsync<Exception>(() => wal.CompactAsync(KeepEven));
                Assert.True(e is IOException or WalFailedException, e.ToString()); // the latter when the directory fsync failed
            }
            await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
            {
                var ids = LogBuilder.Ids(wal);
                Assert.Equal(ids.Distinct().Count(), ids.Count);
                Assert.Equal(ids.Order(), ids);
                var present = ids.ToHashSet();
                for (int i = 0; i < Count; i += 2) Assert.Contains((long)i, present);
            }
            Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        }
    }
}

public class CompactionWhileReadingTests
{
    [Fact]
    public async Task A_reader_in_the_middle_of_a_segment_sees_every_kept_record_after_the_file_is_swapped()
    {
        using var dir = new TempDirectory();
        // Segments larger than the reader's 1 MiB chunk, so the reader is mid-segment when the file is swapped.
        var options = new WalOptions { Directory = dir.Path, SegmentSize = 2 << 20, MaxRecordSize = 1024, MaxGroupBytes = 4096, Durability = DurabilityMode.None };
        long[] positions;
        await using (var writer = WriteAheadLog.Open(options))
            positions = await Task.WhenAll(Enumerable.Range(0, 25_000).Select(i => writer.AppendAsync(Payloads.For(i, 100)).AsTask()));
        await using var wal = WriteAheadLog.Open(options);
        long sealedEnd = wal.Segments.Where(s => s.IsSealed).Max(s => s.EndPosition);
        // Remove runs of 3 out of every 4 records, so an old frame boundary usually falls inside a padding run.
        static bool Keep(LogRecord r) => Payloads.IdOf(r.Payload.Span) % 4 == 0;
        var seen = new List<long>();
        using (var e = wal.ReadFrom(0).GetEnumerator())
        {
            for (int i = 0; i < 10 && e.MoveNext(); i++) seen.Add(Payloads.IdOf(e.Current.Payload.Span));
            await wal.CompactAsync(Keep);
            while (e.MoveNext()) seen.Add(Payloads.IdOf(e.Current.Payload.Span));
        }
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var mustSee = Enumerable.Range(10, positions.Length - 10).Where(i => i % 4 == 0 || positions[i] >= sealedEnd).Select(i => (long)i);
        Assert.Empty(mustSee.Except(seen));
    }
}
