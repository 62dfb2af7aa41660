using AkkaWal.Storage;

namespace AkkaWal.Persistence.Journal;

/// <summary>
/// The index checkpoint file in the journal's log directory (<c>index.checkpoint</c>): written durably (temp file in
/// the same directory, fdatasync, rename over the old one, directory fsync) and loaded only after checks against the
/// open log. A checkpoint that fails a check is never used: open says why and rebuilds from the log.
/// </summary>
internal sealed class IndexCheckpointFile(IWalFileSystem fs, string directory)
{
    public const string FileName = "index.checkpoint";

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>A checkpoint that passed every check, the index it holds (its ids' events and ordering lists still in
    /// the file), and the open file they are read from.</summary>
    public sealed record Loaded(IndexCheckpoint.Header Header, JournalIndex Index, long PublishedUpTo, IndexCheckpointSource Source);

    /// <summary>Writes the encoded checkpoint durably, replacing the previous one atomically. A crash at any point leaves
    /// either the previous checkpoint or the new one (a leftover temp file is removed by the engine's open).</summary>
    public void Write(byte[] encoded) => DurableDirectory.ReplaceFile(fs, directory, FileName, encoded);

    /// <summary>Removes the checkpoint durably (after it was found unusable, so it is never tried again).</summary>
    public void Delete()
    {
        if (!fs.FileExists(Path)) return;
        fs.Delete(Path);
        fs.SyncDirectory(directory);
    }

    /// <summary>
    /// Loads the checkpoint's header and directory when there is one and it fits the open log: the checksum of header
    /// and directory, the log id, a covered position within the log's durable end, the anchor records' checksums at
    /// their positions, and a recovery that repaired nothing (a repair mode may have dropped records the checkpoint
    /// indexes). The ids' events and the ordering lists stay in the file, each checked when first read (see
    /// <see cref="IndexCheckpointSource"/>). Null with <paramref name="problem"/> null when there is no checkpoint;
    /// null with the problem when there is one that must not be used.
    /// </summary>
    public Loaded? TryLoad(WriteAheadLog wal, Action<string> warn, out string? problem)
    {
        problem = null;
        if (!fs.FileExists(Path)) return null;
        var file = fs.OpenFile(Path, WalFileOpen.ReadOnly);
        try
        {
            var loaded = TryLoad(file, wal, warn, out problem);
            if (loaded is not null) return loaded;
        }
        catch
        {
            file.Dispose();
            throw;
        }
        file.Dispose();
        return null;
    }

    private static Loaded? TryLoad(IWalFile file, WriteAheadLog wal, Action<string> warn, out string? problem)
    {
        var length = file.Length;
        var fixedPart = new byte[(int)Math.Min(length, IndexCheckpoint.DirectoryStart + 4)];
        if (file.Read(0, fixedPart) != fixedPart.Length) { problem = "the file ended while it was read"; return null; }
        var header = IndexCheckpoint.ReadHeader(fixedPart, length, out problem);
        if (header is null) return null;
        var headerAndDirectory = new byte[header.SectionsStart];
        if (file.Read(0, headerAndDirectory) != headerAndDirectory.Length) { problem = "the file ended while it was read"; return null; }
        problem = IndexCheckpoint.CheckDirectory(headerAndDirectory) ?? CheckAgainst(wal, header);
        if (problem is not null) return null;
        var source = new IndexCheckpointSource(file, wal, header.CoveredPosition, warn);
        try
        {
            var index = IndexCheckpoint.DecodeDirectory(headerAndDirectory, header, length, source);
            return new Loaded(header, index, index.LastListedOrdering, source);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or KeyNotFoundException)
        {
            problem = $"contents are inconsistent ({e.Message})";
            return null;
        }
    }

    private static string? CheckAgainst(WriteAheadLog wal, IndexCheckpoint.Header header)
    {
        if (header.LogId != wal.LogId)
            return $"it belongs to log 0x{header.LogId:x16}, the directory holds log 0x{wal.LogId:x16}";
        if (header.CoveredPosition < SegmentHeader.Size || header.CoveredPosition > wal.DurableEnd)
            return $"it covers the log up to position {header.CoveredPosition}, but the log ends at {wal.DurableEnd} (stale: the log lost records since)";
        var repairs = wal.Recovery.Events.Where(e => e.Kind is RecoveryEventKind.CorruptionSkipped or RecoveryEventKind.DataDropped
            or RecoveryEventKind.SegmentDropped or RecoveryEventKind.ChainBroken).ToList();
        if (repairs.Count > 0)
            return $"the log's recovery repaired damage ({repairs[0]}), so records it indexes may be gone";
        // Compaction may have removed some anchors since; a log with other contents fails every one it has.
        var found = 0;
        foreach (var (position, expected) in header.Anchors)
        {
            uint crc;
            try { crc = Crc32C.Compute(wal.ReadAt(position).Payload.Span); }
            catch (ArgumentOutOfRangeException) { continue; }
            catch (WalCorruptionException e) { return $"the record at its anchor position {position} fails its checksum ({e.Message})"; }
            if (crc != expected)
                return $"the record at its anchor position {position} has other contents (checksum 0x{crc:x8}, expected 0x{expected:x8})";
            found++;
        }
        if (header.Anchors.Count > 0 && found == 0)
            return $"none of its {header.Anchors.Count} anchor positions holds a record (stale, or all compacted since)";
        return null;
    }
}
