namespace AkkaWal.Storage;

/// <summary>Kinds of problems <see cref="WalInspector"/> reports.</summary>
public enum WalProblemKind
{
    /// <summary>A leftover *.tmp (removed by the next open).</summary>
    TempFile,
    /// <summary>Bad magic, version or header checksum, or a header that does not match its file name.</summary>
    Header,
    /// <summary>The header chain is broken: a segment is missing, reordered or from another log.</summary>
    Chain,
    /// <summary>A frame with a bad length, checksum or type, or a broken batch.</summary>
    Frame,
    /// <summary>A partial or corrupt write at the end of the last segment: open truncates it (unacknowledged data).</summary>
    TornTail,
}

/// <summary>One problem with the file and byte offset it is at.</summary>
public sealed record WalProblem(WalProblemKind Kind, string FilePath, long FileOffset, string Message)
{
    /// <summary>True for damage open refuses in the default mode; false for a torn tail or a temp file, which it repairs.</summary>
    public bool IsCorruption => Kind is WalProblemKind.Header or WalProblemKind.Chain or WalProblemKind.Frame;
    /// <summary>"file:offset: kind: message", the form tools print.</summary>
    public override string ToString() => $"{FilePath}:{FileOffset}: {Kind}: {Message}";
}

/// <summary>One frame as found on disk (records, and padding when asked for).</summary>
/// <param name="FilePath">The segment file holding the frame.</param>
/// <param name="FileOffset">The frame's byte offset in that file.</param>
/// <param name="Position">The record's log position.</param>
/// <param name="Type">The frame type.</param>
/// <param name="Length">Payload bytes (for padding: the hole after the frame).</param>
/// <param name="Payload">The payload (valid only during the callback).</param>
public readonly record struct ScannedRecord(string FilePath, long FileOffset, long Position, RecordType Type, long Length, ReadOnlyMemory<byte> Payload);

/// <summary>What one segment holds.</summary>
/// <param name="FilePath">The segment file.</param>
/// <param name="BaseOffset">Log position of the segment's first byte.</param>
/// <param name="Capacity">Size of the segment file in bytes.</param>
/// <param name="SegmentNumber">The segment's number in the chain.</param>
/// <param name="HeaderValid">False when the header is damaged (then the other counts are zero).</param>
/// <param name="Records">Records found.</param>
/// <param name="PayloadBytes">Payload bytes of those records.</param>
/// <param name="RecordBytes">Bytes of those records' frames, headers included.</param>
/// <param name="PaddingBytes">Bytes of padding frames and their holes (dead space left by compaction).</param>
/// <param name="DataEnd">File offset just after the last frame.</param>
/// <param name="UnusedBytes">Bytes after the end of data up to the capacity (preallocated, not yet written).</param>
public sealed record SegmentStats(
    string FilePath, long BaseOffset, long Capacity, long SegmentNumber, bool HeaderValid,
    long Records, long PayloadBytes, long RecordBytes, long PaddingBytes, long DataEnd, long UnusedBytes)
{
    /// <summary>Share of written bytes (records + padding) that padding takes, 0..1.</summary>
    public double DeadShare => RecordBytes + PaddingBytes == 0 ? 0 : (double)PaddingBytes / (RecordBytes + PaddingBytes);
}

/// <summary>Result of <see cref="WalInspector.Scan"/>.</summary>
public sealed record WalScanResult(string Directory, IReadOnlyList<SegmentStats> Segments, IReadOnlyList<WalProblem> Problems, int? OwnerProcessId)
{
    /// <summary>True when nothing is corrupt (a torn tail or temp file is repaired by the next open).</summary>
    public bool IsValid => Problems.All(p => !p.IsCorruption);
    /// <summary>Records in all segments.</summary>
    public long Records => Segments.Sum(s => s.Records);
    /// <summary>Frame bytes of all records.</summary>
    public long RecordBytes => Segments.Sum(s => s.RecordBytes);
    /// <summary>Padding bytes in all segments.</summary>
    public long PaddingBytes => Segments.Sum(s => s.PaddingBytes);
}

/// <summary>Read-only walk over a log directory for tools (verify, dump, stats): reports every record with its
/// position, type and length and every problem with file and byte offset. It never writes, never takes the
/// directory lock (so it can look at a log that is open; its unsynced tail may then show as a torn tail) and keeps
/// going after a problem to find the next ones.</summary>
public static class WalInspector
{
    /// <summary>Scans <paramref name="directory"/>, handing each frame to <paramref name="onRecord"/> (padding frames too
    /// when <paramref name="includePadding"/>), and returns per-segment stats and every problem found.</summary>
    public static WalScanResult Scan(string directory, Action<ScannedRecord>? onRecord = null, bool includePadding = false)
    {
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"No log directory '{directory}'.");
        var fs = PhysicalFileSystem.Instance;
        var problems = new List<WalProblem>();
        var stats = new List<SegmentStats>();
        var names = fs.ListFiles(directory);
        foreach (var n in names.Where(n => n.EndsWith(".tmp", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            problems.Add(new WalProblem(WalProblemKind.TempFile, Path.Combine(directory, n), 0, "leftover temp file of an interrupted roll or compaction; the next open removes it"));

        var files = names.Select(n => (n, ok: SegmentHeader.TryParseFileName(n, out long b), b)).Where(t => t.ok).OrderBy(t => t.b)
            .Select(t => (Path: Path.Combine(directory, t.n), Base: t.b)).ToList();
        var opened = new List<(string Path, long Base, IWalFile File, SegmentHeader? Header, bool HasData)>();
        try
        {
            foreach (var (path, b) in files)
            {
                var file = fs.OpenFile(path, WalFileOpen.ReadOnly);
                var buf = new byte[SegmentHeader.Size + RecordFrame.HeaderSize];
                int n = file.Read(0, buf);
                var header = SegmentHeader.TryRead(buf.AsSpan(0, Math.Min(n, SegmentHeader.Size)), out var problem);
                if (header is not null && header.BaseOffset != b) { problem = $"header says base {header.BaseOffset} but the file name says {b}"; header = null; }
                if (header is null) problems.Add(new WalProblem(WalProblemKind.Header, path, 0, problem!));
                bool hasData = header is null || WalRecovery.SegmentHasData(file, header, buf.AsSpan(0, n));
                opened.Add((path, b, file, header, hasData));
            }
            int lastData = opened.FindLastIndex(o => o.HasData);
            // Like open: the segment scanned as the last one is the last with data and a valid header.
            int lastScanned = opened.FindLastIndex(o => o.HasData && o.Header is not null);
            SegmentHeader? prev = null;
            for (int i = 0; i < opened.Count; i++)
            {
                var (path, b, file, header, hasData) = opened[i];
                if (header is null)
                {
                    stats.Add(new SegmentStats(path, b, file.Length, -1, false, 0, 0, 0, 0, 0, 0));
                    continue;
                }
                if (header.CheckFollows(prev) is { } chain && (hasData || i <= lastData))
                    problems.Add(new WalProblem(WalProblemKind.Chain, path, 40, chain));
                prev = header;
                stats.Add(ScanSegment(path, file, header, i == lastScanned, i < lastScanned, problems, onRecord, includePadding));
            }
        }
        finally
        {
            foreach (var o in opened) o.File.Dispose();
        }
        return new WalScanResult(directory, stats, problems, DirectoryLock.FindOwner(directory));
    }

    /// <summary>One segment through the scanner open uses, so both give the same verdict on the same bytes: a torn
    /// tail is reported and ends the walk (open truncates it); other damage is reported and skipped to find the next.</summary>
    private static SegmentStats ScanSegment(string path, IWalFile file, SegmentHeader header, bool isLast, bool isSealed,
        List<WalProblem> problems, Action<ScannedRecord>? onRecord, bool includePadding)
    {
        var scanner = new SegmentScanner(file, header, isLast, isSealed, keepPayloads: onRecord is not null);
        Action<Frame>? onFrame = onRecord is null ? null : f =>
        {
            if (f.Type != RecordType.Padding)
                onRecord(new ScannedRecord(path, f.Offset, header.BaseOffset + f.Offset, f.Type, f.Payload.Length, f.Payload));
            else if (includePadding)
                onRecord(new ScannedRecord(path, f.Offset, header.BaseOffset + f.Offset, RecordType.Padding, f.HoleBytes, default));
        };
        scanner.Run(onFrame, d =>
        {
            if (d.IsTornTail)
            {
                problems.Add(new WalProblem(WalProblemKind.TornTail, path, d.At,
                    $"{d.Problem}; {d.NonZeroEnd - d.At} unacknowledged bytes that the next open truncates"));
                return DamageAction.Stop;
            }
            problems.Add(new WalProblem(WalProblemKind.Frame, path, d.At, $"{d.Problem} ({d.Where})"));
            return DamageAction.Skip;
        });
        return new SegmentStats(path, header.BaseOffset, header.Capacity, header.SegmentNumber, true,
            scanner.Records, scanner.PayloadBytes, scanner.RecordBytes, scanner.PaddingBytes, scanner.DataEnd,
            Math.Max(0, header.Capacity - scanner.DataEnd));
    }
}
