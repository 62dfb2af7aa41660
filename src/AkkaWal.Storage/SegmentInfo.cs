namespace AkkaWal.Storage;

/// <summary>A segment as seen by callers (e.g. to choose segments for compaction).</summary>
/// <param name="Path">Full path of the segment file.</param>
/// <param name="BaseOffset">Log position of the segment's first byte (its header).</param>
/// <param name="Capacity">Size of the segment file in bytes, header included.</param>
/// <param name="SegmentNumber">0 for the first segment, +1 for each next one.</param>
/// <param name="EndPosition">Log position just after the segment's written data.</param>
/// <param name="IsSealed">True once the writer has moved to a later segment (only sealed segments can be compacted).</param>
/// <param name="IsActive">True for the segment appends currently go to.</param>
public sealed record SegmentInfo(string Path, long BaseOffset, long Capacity, long SegmentNumber, long EndPosition, bool IsSealed, bool IsActive)
{
    /// <summary>The log position of the segment's first record (just after its header).</summary>
    public long FirstRecordPosition => BaseOffset + SegmentHeader.Size;
}

/// <summary>What one <see cref="WriteAheadLog.CompactAsync"/> did.</summary>
public sealed record CompactionResult(int SegmentsRewritten, long RecordsKept, long RecordsRemoved, long BytesReclaimed);
