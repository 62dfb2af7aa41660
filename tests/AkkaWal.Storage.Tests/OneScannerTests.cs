namespace AkkaWal.Storage.Tests;

/// <summary>Issue 8 item 5: open and the inspecting tools walk segments with one scanner and give the same verdict.</summary>
public class OneScannerTests
{
    private static List<ReadOnlyMemory<byte>> Batch(int first, int count) =>
        Enumerable.Range(first, count).Select(i => (ReadOnlyMemory<byte>)Payloads.For(i, 40)).ToList();

    [Fact]
    public async Task A_batch_interrupted_by_a_second_BatchFirst_is_the_same_corruption_for_open_and_for_verify()
    {
        using var dir = new TempDirectory();
        long[] batch;
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            for (int i = 0; i < 20; i++) await wal.AppendAsync(Payloads.For(i, 40));
            batch = await wal.AppendBatchAsync(Batch(100, 3));
        }
        // The batch's last frame becomes a valid BatchFirst of the same size: First, Middle, First, then the end.
        var (file, first) = LogBuilder.Locate(dir.Path, batch[0]);
        long last = LogBuilder.Locate(dir.Path, batch[2]).Offset;
        var frame = new byte[RecordFrame.HeaderSize + 40];
        RecordFrame.Write(frame, RecordType.BatchFirst, Payloads.For(999, 40));
        LogBuilder.Patch(file, last, frame);

        var open = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(LogBuilder.Small(dir.Path)));
        var verify = WalInspector.Scan(dir.Path);

        Assert.Equal((file, first), (open.FilePath, open.FileOffset));
        Assert.False(verify.IsValid);
        // The first problem is open's; after it the tools skip on, as SkipCorrupted would.
        var problem = verify.Problems[0];
        Assert.Equal(WalProblemKind.Frame, problem.Kind);
        Assert.Equal((file, first), (problem.FilePath, problem.FileOffset));
    }

    [Fact]
    public async Task The_inspector_reports_a_batch_only_when_it_is_complete_like_open_counts_it()
    {
        using var dir = new TempDirectory();
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
        {
            await wal.AppendBatchAsync(Batch(0, 3));
            await wal.AppendAsync(Payloads.For(3, 40));
        }
        var seen = new List<ScannedRecord>();
        var result = WalInspector.Scan(dir.Path, seen.Add);
        Assert.Equal([RecordType.BatchFirst, RecordType.BatchMiddle, RecordType.BatchLast, RecordType.Full], seen.Select(r => r.Type));
        Assert.Equal([0L, 1, 2, 3], seen.Select(r => Payloads.IdOf(r.Payload.Span)));
        await using var reopened = WriteAheadLog.Open(LogBuilder.Small(dir.Path));
        Assert.Equal(result.Records, reopened.Recovery.RecordsFound);
    }
}
