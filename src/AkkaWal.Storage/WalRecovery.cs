using System.Buffers.Binary;
using System.Diagnostics;

namespace AkkaWal.Storage;

/// <summary>The segments an opened log continues with.</summary>
internal sealed class RecoveredLog
{
    public required List<Segment> Segments { get; init; }
    /// <summary>Index of the segment appends continue in; -1 when the directory has no segment yet.</summary>
    public required int ActiveIndex { get; init; }
    public required RecoveryReport Report { get; init; }
}

/// <summary>Open-time scan: removes temp files, checks the header chain and every frame's CRC, and applies the
/// recovery mode to whatever is damaged (rules in docs/FORMAT.md, "Recovery").</summary>
internal sealed class WalRecovery(WalOptions options)
{
    private readonly IWalFileSystem _fs = options.FileSystem;
    private readonly string _dir = options.Directory;
    private readonly RecoveryMode _mode = options.RecoveryMode;
    private readonly List<RecoveryEvent> _events = [];
    private long _records;
    private long _bytesScanned;

    private sealed record Candidate(string Path, IWalFile File, SegmentHeader? Header, string? HeaderProblem, bool HasData);

    private enum Outcome { Continue, Cut }

    public RecoveredLog Run()
    {
        var sw = Stopwatch.StartNew();
        var names = _fs.ListFiles(_dir);
        bool dirChanged = false;
        foreach (var name in names.Where(n => n.EndsWith(".tmp", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string path = Path.Combine(_dir, name);
            _fs.Delete(path);
            _events.Add(new RecoveryEvent(RecoveryEventKind.TempFileRemoved, path, 0, 0, "leftover of an interrupted segment creation or compaction"));
            dirChanged = true;
        }
        if (dirChanged) _fs.SyncDirectory(_dir);

        var candidates = new List<Candidate>();
        foreach (var (name, baseOffset) in names
                     .Select(n => (n, ok: SegmentHeader.TryParseFileName(n, out long b), b))
                     .Where(t => t.ok).Select(t => (t.n, t.b)).OrderBy(t => t.b))
            candidates.Add(OpenCandidate(Path.Combine(_dir, name), baseOffset));

        int lastData = candidates.FindLastIndex(c => c.HasData);
        var kept = new List<Segment>();
        SegmentHeader? prev = null;
        try
        {
            for (int i = 0; i < candidates.Count; i++)
            {
                var c = candidates[i];
                if (c.Header is null)
                {
                    Structural(c.Path, 0, c.HeaderProblem!);
                    if (_mode == RecoveryMode.PointInTime) { DropFrom(candidates, i); break; }
                    SetAside(c, c.HeaderProblem!); // SkipCorrupted
                    continue;
                }
                string? chain = c.Header.CheckFollows(prev);
                if (chain is not null)
                {
                    if (!c.HasData && i > lastData)
                    {
                        Remove(c, RecoveryEventKind.EmptySegmentRemoved, "empty preallocated segment that does not follow the chain: " + chain);
                        continue;
                    }
                    if (prev is null && _mode is RecoveryMode.PointInTime or RecoveryMode.SkipCorrupted)
                        _events.Add(new RecoveryEvent(RecoveryEventKind.ChainBroken, c.Path, 40, 0, chain));
                    else
                    {
                        Structural(c.Path, 40, chain);
                        if (_mode == RecoveryMode.PointInTime) { DropFrom(candidates, i); break; }
                        _events.Add(new RecoveryEvent(RecoveryEventKind.ChainBroken, c.Path, 40, 0, chain));
                    }
                }
                var seg = new Segment(c.Path, c.Header, c.File);
                kept.Add(seg);
                prev = c.Header;
                if (i > lastData) continue; // an empty preallocated spare
                if (Scan(seg, isLast: i == lastData, mustHaveData: i < lastData) == Outcome.Cut)
                {
                    DropFrom(candidates, i + 1);
                    lastData = i;
                    break;
                }
            }
        }
        catch
        {
            foreach (var c in candidates) c.File.Dispose();
            throw;
        }

        int active = kept.Count == 0 ? -1 : Math.Max(0, kept.FindLastIndex(s => candidates.FindIndex(c => c.Path == s.Path) <= lastData));
        for (int i = 0; i < active; i++) kept[i].Sealed = true;
        long durableEnd = active < 0 ? SegmentHeader.Size : kept[active].Base + kept[active].DataEnd;
        var report = new RecoveryReport(_events, candidates.Count, _records, _bytesScanned, durableEnd, sw.Elapsed, _mode);
        return new RecoveredLog { Segments = kept, ActiveIndex = active, Report = report };
    }

    private Candidate OpenCandidate(string path, long nameBase)
    {
        var file = _fs.OpenFile(path, WalFileOpen.ReadWrite);
        try
        {
            Span<byte> buf = stackalloc byte[SegmentHeader.Size + RecordFrame.HeaderSize];
            int n = file.Read(0, buf);
            var header = SegmentHeader.TryRead(buf[..Math.Min(n, SegmentHeader.Size)], out var problem);
            if (header is not null && header.BaseOffset != nameBase)
            {
                problem = $"header says base {header.BaseOffset} but the file name says {nameBase}";
                header = null;
            }
            bool hasData = header is null || SegmentHasData(file, header, buf[..n]);
            return new Candidate(path, file, header, problem, hasData);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>A segment has data when its first frame header is not zero, or (the first page of a torn write may be
    /// lost while later ones persisted) anything in the first torn-write window after the header is not zero.</summary>
    internal static bool SegmentHasData(IWalFile file, SegmentHeader header, ReadOnlySpan<byte> start)
    {
        if (start.Length > SegmentHeader.Size && start[SegmentHeader.Size..].IndexOfAnyExcept((byte)0) >= 0) return true;
        long windowEnd = Math.Min(header.Capacity, SegmentHeader.Size + (long)header.TornWriteWindow);
        return FrameReader.EndOfNonZero(file, SegmentHeader.Size, Math.Min(windowEnd, file.Length)) > 0;
    }

    /// <summary>Walks one segment's frames. Returns Cut when the log ends inside it (torn tail or PointInTime).</summary>
    private Outcome Scan(Segment seg, bool isLast, bool mustHaveData)
    {
        var file = seg.File;
        long limit = Math.Min(seg.Capacity, file.Length);
        var reader = new FrameReader(file, SegmentHeader.Size, limit);
        long batchStart = -1;
        long batchCount = 0;
        while (true)
        {
            var st = reader.Next(out var f);
            string? problem = null;
            long at = f.Offset;
            long searchFrom = f.Offset + 1; // where a later valid frame would show that acknowledged data follows
            switch (st)
            {
                case FrameStatus.Record:
                    switch (f.Type)
                    {
                        case RecordType.Full when batchStart < 0:
                            _records++;
                            seg.DataEnd = reader.Offset;
                            break;
                        case RecordType.BatchFirst when batchStart < 0:
                            batchStart = f.Offset;
                            batchCount = 1;
                            break;
                        case RecordType.BatchMiddle when batchStart >= 0:
                            batchCount++;
                            break;
                        case RecordType.BatchLast when batchStart >= 0:
                            _records += batchCount + 1;
                            batchStart = -1;
                            seg.DataEnd = reader.Offset;
                            break;
                        case RecordType.BatchMiddle or RecordType.BatchLast:
                            problem = $"{f.Type} record without a BatchFirst before it";
                            break;
                        default:
                            problem = $"the batch starting here is interrupted by a {f.Type} record at offset {f.Offset}";
                            at = batchStart;
                            searchFrom = f.Offset;
                            break;
                    }
                    break;
                case FrameStatus.Padding when batchStart < 0:
                    seg.DataEnd = reader.Offset;
                    break;
                case FrameStatus.Padding:
                    problem = $"the batch starting here is interrupted by padding at offset {f.Offset}";
                    at = batchStart;
                    searchFrom = f.Offset;
                    break;
                case FrameStatus.EndOfData or FrameStatus.EndOfSegment:
                    _bytesScanned += f.Offset - SegmentHeader.Size;
                    if (batchStart >= 0)
                    {
                        problem = $"incomplete batch: data ends at offset {f.Offset} before its BatchLast record";
                        at = batchStart;
                    }
                    else if (isLast)
                    {
                        long nz = FrameReader.EndOfNonZero(file, f.Offset, limit);
                        if (nz < 0) return Outcome.Continue;
                        problem = $"non-zero bytes up to offset {nz} after the end of data";
                    }
                    else if (mustHaveData && seg.DataEnd == SegmentHeader.Size && (seg.SkipRanges?.Count ?? 0) == 0)
                    {
                        problem = "sealed segment holds no data although later segments do (lost writes?)";
                    }
                    else return Outcome.Continue;
                    break;
                default:
                    problem = f.Problem;
                    if (batchStart >= 0)
                    {
                        problem = $"batch starting here is broken: {problem} at offset {f.Offset}";
                        at = batchStart;
                    }
                    break;
            }
            if (problem is null) continue;

            long nonZeroEnd = Math.Max(FrameReader.EndOfNonZero(file, at, limit), at);
            var verdict = isLast ? TornTailRule.Judge(file, at, searchFrom, nonZeroEnd, limit, seg.Header.TornWriteWindow) : default;
            bool torn = verdict.Torn;
            if (torn && _mode != RecoveryMode.AbsoluteConsistency)
            {
                Zero(file, at, nonZeroEnd);
                seg.DataEnd = at;
                _events.Add(new RecoveryEvent(RecoveryEventKind.TornTailTruncated, seg.Path, at, nonZeroEnd - at,
                    $"{problem}; {nonZeroEnd - at} unacknowledged bytes zeroed"));
                return Outcome.Cut;
            }
            string where = torn ? " (torn tail; AbsoluteConsistency does not truncate)"
                : isLast ? $" ({verdict.Reason})"
                : " (in a sealed segment)";
            switch (_mode)
            {
                case RecoveryMode.TolerateCorruptedTail or RecoveryMode.AbsoluteConsistency:
                    throw new WalCorruptionException(seg.Path, at, problem + where);
                case RecoveryMode.PointInTime:
                    Zero(file, at, nonZeroEnd);
                    seg.DataEnd = at;
                    _events.Add(new RecoveryEvent(RecoveryEventKind.DataDropped, seg.Path, at, nonZeroEnd - at,
                        $"{problem}{where}; everything from here on was dropped"));
                    return Outcome.Cut;
                default: // SkipCorrupted
                    long resume = Resync(file, at + 1, nonZeroEnd);
                    (seg.SkipRanges ??= []).Add((at, resume));
                    _events.Add(new RecoveryEvent(RecoveryEventKind.CorruptionSkipped, seg.Path, at, resume - at, problem + where));
                    reader = new FrameReader(file, resume, limit);
                    batchStart = -1;
                    if (resume >= nonZeroEnd) seg.DataEnd = resume;
                    break;
            }
        }
    }

    /// <summary>First offset in [from, end) where a valid Full, BatchFirst or Padding frame starts; end if none.</summary>
    internal static long Resync(IWalFile file, long from, long end)
    {
        if (from >= end) return end;
        var buf = new byte[end - from];
        int n = file.Read(from, buf);
        for (int i = 0; i + RecordFrame.HeaderSize <= n; i++)
        {
            uint len = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(i));
            if (len == 0 || len > n - i - 8) continue;
            byte type = buf[i + 8];
            if (type is not ((byte)RecordType.Full or (byte)RecordType.BatchFirst or (byte)RecordType.Padding)) continue;
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(i + 4));
            if (Crc32C.Mask(Crc32C.Compute(buf.AsSpan(i + 8, (int)len))) == crc) return from + i;
        }
        return end;
    }

    private static void Zero(IWalFile file, long from, long to)
    {
        if (to <= from) return;
        var zeros = new byte[(int)Math.Min(1 << 20, to - from)];
        for (long o = from; o < to; o += zeros.Length)
            file.Write(o, zeros.AsSpan(0, (int)Math.Min(zeros.Length, to - o)));
        file.FlushData();
    }

    private void Structural(string path, long offset, string problem)
    {
        if (_mode is RecoveryMode.TolerateCorruptedTail or RecoveryMode.AbsoluteConsistency)
            throw new WalCorruptionException(path, offset, problem);
    }

    /// <summary>PointInTime: everything from candidate <paramref name="from"/> on is set aside (data) or deleted (empty).</summary>
    private void DropFrom(List<Candidate> candidates, int from)
    {
        bool changed = false;
        for (int j = from; j < candidates.Count; j++)
        {
            var c = candidates[j];
            if (c.HasData) SetAside(c, "follows the point where the log was cut", sync: false);
            else Remove(c, RecoveryEventKind.EmptySegmentRemoved, "empty preallocated segment after the cut", sync: false);
            changed = true;
        }
        if (changed) _fs.SyncDirectory(_dir);
    }

    /// <summary>Renames a damaged or dropped segment to *.dropped so nothing is destroyed, and reports it.</summary>
    private void SetAside(Candidate c, string why, bool sync = true)
    {
        c.File.Dispose();
        string target = c.Path + ".dropped";
        for (int k = 1; _fs.FileExists(target); k++) target = $"{c.Path}.dropped.{k}";
        _fs.Rename(c.Path, target);
        _events.Add(new RecoveryEvent(RecoveryEventKind.SegmentDropped, c.Path, 0, 0, $"{why}; moved to {Path.GetFileName(target)}"));
        if (sync) _fs.SyncDirectory(_dir);
    }

    private void Remove(Candidate c, RecoveryEventKind kind, string why, bool sync = true)
    {
        c.File.Dispose();
        _fs.Delete(c.Path);
        _events.Add(new RecoveryEvent(kind, c.Path, 0, 0, why));
        if (sync) _fs.SyncDirectory(_dir);
    }
}
