namespace AkkaWal.Storage;

/// <summary>Configuration of one log directory.</summary>
public sealed class WalOptions
{
    /// <summary>The log directory (created, with missing parents, on open).</summary>
    public required string Directory { get; init; }
    /// <summary>Roll size (bytes of one segment file, header included). The next segment is preallocated.</summary>
    public long SegmentSize { get; init; } = 64L * 1024 * 1024;
    /// <summary>Largest payload accepted; larger ones are refused with <see cref="RecordTooLargeException"/>.</summary>
    public int MaxRecordSize { get; init; } = 8 * 1024 * 1024;
    /// <summary>When an append is acknowledged; see <see cref="DurabilityMode"/>.</summary>
    public DurabilityMode Durability { get; init; } = DurabilityMode.Always;
    /// <summary>Period of the fdatasync in <see cref="DurabilityMode.Interval"/>.</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromMilliseconds(10);
    /// <summary>Cap of one group-commit write (a single batch larger than this is still written whole).</summary>
    public int MaxGroupBytes { get; init; } = 1024 * 1024;
    /// <summary>Bound of the appends waiting for the writer (frame bytes, queued until acknowledged). Appenders beyond it
    /// wait asynchronously (no thread blocked) in arrival order; an append larger than the bound goes through alone.</summary>
    public long MaxQueuedBytes { get; init; } = 64L * 1024 * 1024;
    /// <summary>What open does with damage; see <see cref="Storage.RecoveryMode"/>.</summary>
    public RecoveryMode RecoveryMode { get; init; } = RecoveryMode.TolerateCorruptedTail;
    /// <summary>False (default): in <see cref="RecoveryMode.TolerateCorruptedTail"/>, open takes a sealed segment whose
    /// seal (docs/FORMAT.md, "Seal file") fits it as it was sealed, without reading its frames; every read still checks
    /// each frame's CRC, and <c>akkawal verify</c> scans everything. True: open scans and checks every segment, as the
    /// other recovery modes always do.</summary>
    public bool VerifySealedSegmentsOnOpen { get; init; }
    /// <summary>File-system seam (fault injection in tests).</summary>
    public IWalFileSystem FileSystem { get; init; } = PhysicalFileSystem.Instance;

    /// <summary>Smallest segment accepted by <see cref="Validate"/>.</summary>
    public const long MinSegmentSize = 4096;

    /// <summary>Largest amount of frame bytes one batch may take (it must fit one segment and one unsynced write window).</summary>
    public long MaxBatchBytes => Math.Min(SegmentSize - SegmentHeader.Size, TornWriteWindow);

    /// <summary>The most bytes that can be written but not yet synced at any time; stored in each new segment header.</summary>
    internal long TornWriteWindow => Math.Max(MaxGroupBytes, (long)MaxRecordSize + RecordFrame.HeaderSize);

    /// <summary>Throws <see cref="ArgumentException"/> naming the property and what is allowed.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
            throw new ArgumentException("WalOptions.Directory must be a non-empty path.", nameof(Directory));
        if (MaxRecordSize < 0)
            throw new ArgumentException($"WalOptions.MaxRecordSize must be >= 0 (was {MaxRecordSize}).", nameof(MaxRecordSize));
        if (MaxRecordSize > int.MaxValue - 64)
            throw new ArgumentException($"WalOptions.MaxRecordSize must be <= {int.MaxValue - 64} (was {MaxRecordSize}).", nameof(MaxRecordSize));
        long minSegment = Math.Max(MinSegmentSize, SegmentHeader.Size + RecordFrame.HeaderSize + (long)MaxRecordSize);
        if (SegmentSize < minSegment)
            throw new ArgumentException(
                $"WalOptions.SegmentSize must be >= {minSegment} bytes (4096, and room for the header plus one record of MaxRecordSize={MaxRecordSize}); was {SegmentSize}.",
                nameof(SegmentSize));
        if (SegmentSize > (1L << 40))
            throw new ArgumentException($"WalOptions.SegmentSize must be <= 1 TiB (was {SegmentSize}).", nameof(SegmentSize));
        if (MaxGroupBytes < 4096 || MaxGroupBytes > 256 * 1024 * 1024)
            throw new ArgumentException($"WalOptions.MaxGroupBytes must be between 4096 and 268435456 (was {MaxGroupBytes}).", nameof(MaxGroupBytes));
        if (MaxQueuedBytes < 4096)
            throw new ArgumentException($"WalOptions.MaxQueuedBytes must be >= 4096 (was {MaxQueuedBytes}).", nameof(MaxQueuedBytes));
        if (!Enum.IsDefined(Durability))
            throw new ArgumentException($"WalOptions.Durability must be Always, Interval or None (was {(int)Durability}).", nameof(Durability));
        if (!Enum.IsDefined(RecoveryMode))
            throw new ArgumentException($"WalOptions.RecoveryMode must be TolerateCorruptedTail, AbsoluteConsistency, PointInTime or SkipCorrupted (was {(int)RecoveryMode}).", nameof(RecoveryMode));
        if (Durability == DurabilityMode.Interval && (FsyncInterval <= TimeSpan.Zero || FsyncInterval > TimeSpan.FromMinutes(1)))
            throw new ArgumentException($"WalOptions.FsyncInterval must be > 0 and <= 1 minute in Interval mode (was {FsyncInterval}).", nameof(FsyncInterval));
        if (FileSystem is null)
            throw new ArgumentException("WalOptions.FileSystem must not be null.", nameof(FileSystem));
    }
}
