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
    /// <summary>Kind, file, offset, length and detail on one line.</summary>
    public override string ToString() => $"{Kind}: {FilePath} @ {FileOffset} ({Length} bytes): {Detail}";
}

/// <summary>What <see cref="WriteAheadLog.Open"/> found and did.</summary>
public sealed class RecoveryReport
{
    internal RecoveryReport(IReadOnlyList<RecoveryEvent> events, int segments, long records, long bytesScanned, long durableEnd, TimeSpan elapsed, RecoveryMode mode,
        int segmentsTrusted = 0)
    {
        SegmentsTrusted = segmentsTrusted;
        Events = events;
        SegmentsScanned = segments;
        RecordsFound = records;
        BytesScanned = bytesScanned;
        DurableEnd = durableEnd;
        Elapsed = elapsed;
        Mode = mode;
    }

    /// <summary>Every repair or removal, in the order open made them; empty when the log was clean.</summary>
    public IReadOnlyList<RecoveryEvent> Events { get; }
    /// <summary>Segments read during recovery.</summary>
    public int SegmentsScanned { get; }
    /// <summary>Sealed segments taken as their seal records them, without reading their frames (counted in
    /// <see cref="SegmentsScanned"/> and <see cref="RecordsFound"/>, not in <see cref="BytesScanned"/>).</summary>
    public int SegmentsTrusted { get; }
    /// <summary>Records found in the kept segments.</summary>
    public long RecordsFound { get; }
    /// <summary>Bytes read during recovery.</summary>
    public long BytesScanned { get; }
    /// <summary>The log position after the last record kept: the next append goes here.</summary>
    public long DurableEnd { get; }
    /// <summary>How long recovery took.</summary>
    public TimeSpan Elapsed { get; }
    /// <summary>The recovery mode open applied.</summary>
    public RecoveryMode Mode { get; }

    /// <summary>True when open found nothing to repair or remove.</summary>
    public bool IsClean => Events.Count == 0;
    /// <summary>The events of one <paramref name="kind"/>.</summary>
    public IEnumerable<RecoveryEvent> OfKind(RecoveryEventKind kind) => Events.Where(e => e.Kind == kind);
    /// <summary>Paths of leftover temporary files open removed.</summary>
    public IReadOnlyList<string> TempFilesRemoved => OfKind(RecoveryEventKind.TempFileRemoved).Select(e => e.FilePath).ToList();
    /// <summary>The torn tail open truncated, if any.</summary>
    public RecoveryEvent? TruncatedTail => OfKind(RecoveryEventKind.TornTailTruncated).FirstOrDefault();

    /// <summary>A summary line, then one line per event.</summary>
    public override string ToString()
        => $"recovery ({Mode}): {SegmentsScanned} segments ({SegmentsTrusted} sealed ones taken from their seal), {RecordsFound} records, {BytesScanned} bytes read in {Elapsed.TotalMilliseconds:F0} ms" +
           (IsClean ? ", clean" : Environment.NewLine + string.Join(Environment.NewLine, Events));
}
