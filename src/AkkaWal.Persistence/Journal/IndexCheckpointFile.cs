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

    /// <summary>A checkpoint that passed every check, and the index it holds.</summary>
    public sealed record Loaded(IndexCheckpoint.Header Header, JournalIndex Index, long PublishedUpTo);

    /// <summary>Writes the encoded checkpoint durably, replacing the previous one atomically. A crash at any point leaves
    /// either the previous checkpoint or the new one (a leftover temp file is removed by the engine's open).</summary>
    public void Write(byte[] encoded)
    {
        var tmp = Path + ".tmp";
        if (fs.FileExists(tmp)) fs.Delete(tmp);
        using (var file = fs.OpenFile(tmp, WalFileOpen.CreateNew))
        {
            file.Write(0, encoded);
            file.FlushData();
        }
        fs.Rename(tmp, Path);
        fs.SyncDirectory(directory);
    }

    /// <summary>Removes the checkpoint durably (after it was found unusable, so it is never tried again).</summary>
    public void Delete()
    {
        if (!fs.FileExists(Path)) return;
        fs.Delete(Path);
        fs.SyncDirectory(directory);
    }

    /// <summary>
    /// Loads the checkpoint when there is one and it fits the open log: its checksum, the log id, a covered position
    /// within the log's durable end, the anchor record's checksum at its position, and a recovery that repaired nothing
    /// (a repair mode may have dropped records the checkpoint indexes). Null with <paramref name="problem"/> null when
    /// there is no checkpoint; null with the problem when there is one that must not be used.
    /// </summary>
    public Loaded? TryLoad(WriteAheadLog wal, out string? problem)
    {
        problem = null;
        if (!fs.FileExists(Path)) return null;
        byte[] bytes;
        using (var file = fs.OpenFile(Path, WalFileOpen.ReadOnly))
        {
            if (file.Length > int.MaxValue) { problem = $"{file.Length} bytes is too large"; return null; }
            bytes = new byte[file.Length];
            if (file.Read(0, bytes) != bytes.Length) { problem = "the file ended while it was read"; return null; }
        }
        var header = IndexCheckpoint.ReadHeader(bytes, out problem);
        if (header is null) return null;
        problem = CheckAgainst(wal, header);
        if (problem is not null) return null;
        try
        {
            var index = IndexCheckpoint.DecodeIndex(bytes, header);
            return new Loaded(header, index, index.LastListedOrdering);
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
            if (crc != expected)
                return $"the record at its anchor position {position} has other contents (checksum 0x{crc:x8}, expected 0x{expected:x8})";
            found++;
        }
        if (header.Anchors.Count > 0 && found == 0)
            return $"none of its {header.Anchors.Count} anchor positions holds a record (stale, or all compacted since)";
        return null;
    }
}
