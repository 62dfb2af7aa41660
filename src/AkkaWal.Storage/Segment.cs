namespace AkkaWal.Storage;

/// <summary>One segment file as the open log tracks it.</summary>
internal sealed class Segment(string path, SegmentHeader header, IWalFile file)
{
    public string Path { get; } = path;
    public SegmentHeader Header { get; } = header;
    /// <summary>The open file; replaced by compaction (readers retry on <see cref="ObjectDisposedException"/>).</summary>
    public volatile IWalFile File = file;
    /// <summary>File offset where written data ends (the writer advances it on the active segment).</summary>
    public long DataEnd = SegmentHeader.Size;
    public volatile bool Sealed;
    /// <summary>Damaged ranges [start, end) (file offsets) that SkipCorrupted recovery told readers to skip.</summary>
    public List<(long Start, long End)>? SkipRanges;
    /// <summary>Records in the segment: counted by open's scan or taken from its seal, then by the writer.</summary>
    public long Records;
    /// <summary>Set once the segment is sealed clean (by the writer's roll, or verified by open's scan): what the seal file
    /// records for it, so the next open need not scan it.</summary>
    public SegmentSeal? Seal;

    public long Base => Header.BaseOffset;
    public long Capacity => Header.Capacity;
    public long End => Header.BaseOffset + Header.Capacity;
    public string FileName => System.IO.Path.GetFileName(Path);

    public SegmentInfo ToInfo(bool active) => new(Path, Base, Capacity, Header.SegmentNumber, Base + Volatile.Read(ref DataEnd), Sealed, active);
}
