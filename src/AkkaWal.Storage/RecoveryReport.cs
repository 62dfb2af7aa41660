namespace AkkaWal.Storage;

/// <summary>Kinds of things open found and did.</summary>
public enum RecoveryEventKind
{
    /// <summary>A leftover *.tmp of an interrupted roll or compaction was deleted.</summary>
    TempFileRemoved,
    /// <summary>A torn (partial or corrupt) tail of the last segment was cut and zeroed: unacknowledged data.</summary>
    TornTailTruncated,
    /// <summary>Damaged bytes were skipped (SkipCorrupted); they stay on disk but readers never see them.</summary>
    CorruptionSkipped,
    /// <summary>Everything after a corruption was dropped (PointInTime).</summary>
    DataDropped,
    /// <summary>A segment file was set aside as *.dropped (PointInTime / SkipCorrupted).</summary>
    SegmentDropped,
    /// <summary>An empty preallocated segment that no longer fits the chain was deleted.</summary>
    EmptySegmentRemoved,
    /// <summary>The segment chain is broken (missing or foreign segment), tolerated by the recovery mode.</summary>
    ChainBroken,
}

/// <summary>One finding of recovery, with the file and byte offset it concerns.</summary>
public sealed record RecoveryEvent(RecoveryEventKind Kind, string FilePath, long FileOffset, long Length, string Detail)
{
    public override string ToString() => $"{Kind}: {FilePath} @ {FileOffset} ({Length} bytes): {Detail}";
}

/// <summary>What <see cref="WriteAheadLog.Open"/> found and did.</summary>
public sealed class RecoveryReport
{
    internal RecoveryReport(IReadOnlyList<RecoveryEvent> events, int segments, long records, long bytesScanned, long durableEnd, TimeSpan elapsed, RecoveryMode mode)
    {
        Events = events;
        SegmentsScanned = segments;
        RecordsFound = records;
        BytesScanned = bytesScanned;
        DurableEnd = durableEnd;
        Elapsed = elapsed;
        Mode = mode;
    }

    public IReadOnlyList<RecoveryEvent> Events { get; }
    public int SegmentsScanned { get; }
    public long RecordsFound { get; }
    public long BytesScanned { get; }
    public long DurableEnd { get; }
    public TimeSpan Elapsed { get; }
    public RecoveryMode Mode { get; }

    /// <summary>True when open found nothing to repair or remove.</summary>
    public bool IsClean => Events.Count == 0;
    public IEnumerable<RecoveryEvent> OfKind(RecoveryEventKind kind) => Events.Where(e => e.Kind == kind);
    public IReadOnlyList<string> TempFilesRemoved => OfKind(RecoveryEventKind.TempFileRemoved).Select(e => e.FilePath).ToList();
    public RecoveryEvent? TruncatedTail => OfKind(RecoveryEventKind.TornTailTruncated).FirstOrDefault();

    public override string ToString()
        => $"recovery ({Mode}): {SegmentsScanned} segments, {RecordsFound} records, {BytesScanned} bytes in {Elapsed.TotalMilliseconds:F0} ms" +
           (IsClean ? ", clean" : Environment.NewLine + string.Join(Environment.NewLine, Events));
}
