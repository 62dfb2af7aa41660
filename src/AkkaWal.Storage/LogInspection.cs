namespace AkkaWal.Storage;

/// <summary>How serious an <see cref="InspectionFinding"/> is.</summary>
public enum FindingSeverity
{
    /// <summary>Damage: a record, header or chain that does not check out. Open fails on it in the default mode.</summary>
    Problem,
    /// <summary>A torn tail: partial or corrupt bytes at the end of the last segment, within one unsynced write.
    /// Never acknowledged; open truncates it in the default mode (AbsoluteConsistency refuses it).</summary>
    TornTail,
    /// <summary>Harmless and worth knowing: a leftover temp file, a segment set aside by recovery, an unused spare.</summary>
    Note,
}

/// <summary>One thing <see cref="LogInspector"/> found, at a file and byte offset within that file.</summary>
public sealed record InspectionFinding(FindingSeverity Severity, string FilePath, long FileOffset, string Description)
{
    public override string ToString() => $"{FilePath}:{FileOffset}: {Description}";
}

/// <summary>One frame as <see cref="LogInspector"/> reads it from disk (records and compaction padding alike).</summary>
/// <param name="Position">Log position of the frame (segment base + offset in the file).</param>
/// <param name="Payload">The record's payload (empty for padding); a slice of a read buffer, valid during the callback only.</param>
/// <param name="HoleBytes">Padding only: the bytes of hole that follow the padding frame.</param>
public readonly record struct InspectedFrame(long Position, RecordType Type, ReadOnlyMemory<byte> Payload, long HoleBytes,
    string FilePath, long FileOffset);

/// <summary>What one segment file holds.</summary>
/// <param name="DataEnd">File offset just after the last readable frame (the header size when empty).</param>
/// <param name="Records">Records of this segment (a batch counts when it is complete).</param>
/// <param name="FrameBytes">Bytes of record frames (headers + payloads), complete batches only.</param>
/// <param name="PaddingBytes">Dead bytes: padding frames written by compaction and the holes they announce.</param>
public sealed record InspectedSegment(
    string Path,
    long BaseOffset,
    long Capacity,
    long FileLength,
    long SegmentNumber,
    long DataEnd,
    long Records,
    long PayloadBytes,
    long FrameBytes,
    long PaddingBytes,
    bool Readable);

/// <summary>The result of <see cref="LogInspector.Inspect"/>.</summary>
public sealed class LogInspection
{
    internal LogInspection(string directory, IReadOnlyList<InspectedSegment> segments, IReadOnlyList<InspectionFinding> findings, bool stoppedEarly)
    {
        Directory = directory;
        Segments = segments;
        Findings = findings;
        StoppedEarly = stoppedEarly;
    }

    public string Directory { get; }
    public IReadOnlyList<InspectedSegment> Segments { get; }
    /// <summary>In log order (file by file, by offset).</summary>
    public IReadOnlyList<InspectionFinding> Findings { get; }
    /// <summary>True when the frame callback asked to stop; the counts then cover only what was read.</summary>
    public bool StoppedEarly { get; }

    public IEnumerable<InspectionFinding> Problems => Findings.Where(f => f.Severity == FindingSeverity.Problem);
    public bool HasProblems => Problems.Any();
    public long Records => Segments.Sum(s => s.Records);
    public long PayloadBytes => Segments.Sum(s => s.PayloadBytes);
    public long FrameBytes => Segments.Sum(s => s.FrameBytes);
    public long PaddingBytes => Segments.Sum(s => s.PaddingBytes);
}
