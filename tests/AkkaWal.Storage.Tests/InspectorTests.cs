namespace AkkaWal.Storage.Tests;

public class InspectorTests
{
    [Fact]
    public async Task Scan_of_a_healthy_log_reports_every_record_and_segment_stats()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 1000);
        var seen = new List<ScannedRecord>();
        var result = WalInspector.Scan(dir.Path, seen.Add);
        Assert.True(result.IsValid);
        Assert.Empty(result.Problems);
        Assert.Equal(positions, seen.Select(r => r.Position));
        Assert.All(seen, r => Assert.Equal(RecordType.Full, r.Type));
        Assert.All(seen, r => Assert.Equal(40, r.Length));
        Assert.Equal(1000, result.Records);
        Assert.Equal(1000L * (40 + RecordFrame.HeaderSize), result.RecordBytes);
        Assert.Null(result.OwnerProcessId);
        var s0 = result.Segments[0];
        Assert.Equal(0, s0.BaseOffset);
        Assert.Equal(s0.Capacity - s0.DataEnd, s0.UnusedBytes);
    }

    [Fact]
    public async Task Scan_reports_each_problem_with_file_and_offset_and_keeps_going()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 1000);
        var a = LogBuilder.Locate(dir.Path, positions[10]);
        var b = LogBuilder.Locate(dir.Path, positions[700]);
        LogBuilder.FlipBit(a.File, a.Offset + 12);
        LogBuilder.FlipBit(b.File, b.Offset + 12);
        File.WriteAllBytes(Path.Combine(dir.Path, "00000000000000000000.wal.tmp"), [1, 2, 3]);
        int records = 0;
        var result = WalInspector.Scan(dir.Path, _ => records++);
        Assert.False(result.IsValid);
        Assert.Equal(998, records);
        var frames = result.Problems.Where(p => p.Kind == WalProblemKind.Frame).ToList();
        Assert.Equal([(a.File, a.Offset), (b.File, b.Offset)], frames.Select(p => (p.FilePath, p.FileOffset)));
        Assert.Single(result.Problems, p => p.Kind == WalProblemKind.TempFile);
        Assert.True(File.Exists(Path.Combine(dir.Path, "00000000000000000000.wal.tmp"))); // read-only
    }

    [Fact]
    public async Task Scan_calls_a_torn_tail_by_its_name_and_sees_padding_after_compaction()
    {
        using var dir = new TempDirectory();
        var positions = await LogBuilder.WriteAsync(LogBuilder.Small(dir.Path), 1000);
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            await wal.CompactAsync(r => Payloads.IdOf(r.Payload.Span) % 10 == 0);
            var live = WalInspector.Scan(dir.Path);
            Assert.Equal(Environment.ProcessId, live.OwnerProcessId);
        }
        var (file, offset) = LogBuilder.Locate(dir.Path, positions[^1] + 49);
        LogBuilder.Patch(file, offset, [9, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
        var padding = new List<ScannedRecord>();
        var result = WalInspector.Scan(dir.Path, r => { if (r.Type == RecordType.Padding) padding.Add(r); }, includePadding: true);
        Assert.True(result.IsValid);
        var torn = Assert.Single(result.Problems);
        Assert.Equal(WalProblemKind.TornTail, torn.Kind);
        Assert.Equal((file, offset), (torn.FilePath, torn.FileOffset));
        Assert.NotEmpty(padding);
        Assert.True(result.PaddingBytes > 0);
        Assert.True(result.Segments[0].DeadShare > 0.5);
    }
}
