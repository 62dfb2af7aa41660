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
    private readonly HashSet<string> _movedAway = new(StringComparer.Ordinal); // set aside or removed already
    private long _records;
    private long _bytesScanned;
    private int _trusted;
    private Dictionary<long, SegmentSeal> _sealsOnDisk = [];

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

        // Pass 1, structure: headers and the header chain decide which segments are kept. Pass 2 scans the kept ones,
        // so the segment appends will continue in is always scanned as the last one (its tail checked), even when a
        // later segment with data was set aside (SkipCorrupted) or dropped (PointInTime).
        int lastData = candidates.FindLastIndex(c => c.HasData);
        var kept = new List<(Segment Segment, int Candidate, bool HasData)>();
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
                kept.Add((new Segment(c.Path, c.Header, c.File), i, c.HasData));
                prev = c.Header;
            }

            int keptLastData = kept.FindLastIndex(k => k.HasData);
            // Sealed segments (not the last with data) whose seal fits are taken as sealed, unscanned: only in the
            // default mode (the repair modes and AbsoluteConsistency check everything) and unless asked to verify.
            if (kept.Count > 0) _sealsOnDisk = SegmentSealFile.Load(_fs, _dir, kept[0].Segment.Header.LogId);
            var seals = _mode == RecoveryMode.TolerateCorruptedTail && !options.VerifySealedSegmentsOnOpen ? _sealsOnDisk : [];
            for (int j = 0; j <= keptLastData; j++)
            {
                var seg = kept[j].Segment;
                if (j < keptLastData && seals.TryGetValue(seg.Base, out var seal) && SegmentSealFile.Fits(seal, seg))
                {
                    seg.DataEnd = seal.DataEnd;
                    seg.Records = seal.Records;
                    seg.Seal = seal;
                    _records += seal.Records;
                    _trusted++;
                    continue;
                }
                if (Scan(kept[j].Segment, isLast: j == keptLastData, mustHaveData: j < keptLastData) != Outcome.Cut) continue;
                DropFrom(candidates, kept[j].Candidate + 1);
                kept.RemoveRange(j + 1, kept.Count - j - 1);
                break;
            }
        }
        catch
        {
            foreach (var c in candidates) c.File.Dispose();
            throw;
        }

        var segments = kept.Select(k => k.Segment).ToList();
        int active = segments.Count == 0 ? -1 : Math.Max(0, kept.FindLastIndex(k => k.HasData));
        for (int i = 0; i < active; i++)
        {
            var seg = segments[i];
            seg.Sealed = true;
            // A sealed segment scanned clean gets its seal now (a log written before seals, or a crash before the roll
            // wrote it), so the next open need not scan it again.
            if (seg.Seal is null && seg.SkipRanges is null) seg.Seal = new SegmentSeal(seg.Base, seg.Header.HeaderCrc, seg.DataEnd, seg.Records);
        }
        UpdateSealFile(segments, active);
        long durableEnd = active < 0 ? SegmentHeader.Size : segments[active].Base + segments[active].DataEnd;
        var report = new RecoveryReport(_events, candidates.Count, _records, _bytesScanned, durableEnd, sw.Elapsed, _mode, _trusted);
        return new RecoveredLog { Segments = segments, ActiveIndex = active, Report = report };
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

    /// <summary>Walks one segment with the shared <see cref="SegmentScanner"/> and applies the recovery mode to each
    /// damaged range it reports. Returns Cut when the log ends inside the segment (torn tail or PointInTime).</summary>
    private Outcome Scan(Segment seg, bool isLast, bool mustHaveData)
    {
        var scanner = new SegmentScanner(seg.File, seg.Header, isLast, mustHaveData);
        long cutAt = -1;
        DamageAction Cut(SegmentDamage d, RecoveryEventKind kind, string detail)
        {
            ForgetSealPast(seg, d.At);
            Zero(seg.File, d.At, d.NonZeroEnd);
            _events.Add(new RecoveryEvent(kind, seg.Path, d.At, d.NonZeroEnd - d.At, detail));
            cutAt = d.At;
            return DamageAction.Stop;
        }
        scanner.Run(onFrame: null, onDamage: d =>
        {
            if (d.IsTornTail && _mode != RecoveryMode.AbsoluteConsistency)
                return Cut(d, RecoveryEventKind.TornTailTruncated, $"{d.Problem}; {d.NonZeroEnd - d.At} unacknowledged bytes zeroed");
            string where = d.IsTornTail ? " (torn tail; AbsoluteConsistency does not truncate)" : $" ({d.Where})";
            switch (_mode)
            {
                case RecoveryMode.TolerateCorruptedTail or RecoveryMode.AbsoluteConsistency:
                    throw new WalCorruptionException(seg.Path, d.At, d.Problem + where);
                case RecoveryMode.PointInTime:
                    return Cut(d, RecoveryEventKind.DataDropped, $"{d.Problem}{where}; everything from here on was dropped");
                default: // SkipCorrupted
                    _events.Add(new RecoveryEvent(RecoveryEventKind.CorruptionSkipped, seg.Path, d.At, d.ResumeAt - d.At, d.Problem + where));
                    return DamageAction.Skip;
            }
        });
        _records += scanner.Records;
        seg.Records = scanner.Records;
        _bytesScanned += scanner.BytesScanned;
        // A cut ends the data where the damage starts; otherwise it ends after the last complete record.
        seg.DataEnd = cutAt >= 0 ? cutAt : scanner.DataEnd;
        seg.SkipRanges = scanner.SkipRanges;
        return cutAt >= 0 ? Outcome.Cut : Outcome.Continue;
    }

    /// <summary>Rewrites the seal file when it does not hold exactly the kept sealed segments' seals (dropped segments'
    /// seals must go, so a segment recreated at the same base never meets a stale one). A failure to write it is not an
    /// error: without it the next open scans those segments.</summary>
    private void UpdateSealFile(List<Segment> segments, int active)
    {
        if (active < 0) return;
        var wanted = segments.Take(active).Where(s => s.Seal is not null).Select(s => s.Seal!.Value).ToList();
        if (_sealsOnDisk.Count == wanted.Count && wanted.All(s => _sealsOnDisk.TryGetValue(s.BaseOffset, out var d) && d == s)) return;
        WriteSeals(segments[0].Header.LogId, wanted);
    }

    /// <summary>Before bytes of a segment are zeroed at <paramref name="at"/> (a torn tail, or a PointInTime cut in a
    /// sealed segment): its seal, if it says data goes on past there, must be gone from disk first, or a crash before
    /// open ends would leave it to a later open.</summary>
    private void ForgetSealPast(Segment seg, long at)
    {
        if (!_sealsOnDisk.TryGetValue(seg.Base, out var seal) || seal.DataEnd <= at) return;
        var rest = new Dictionary<long, SegmentSeal>(_sealsOnDisk);
        rest.Remove(seg.Base);
        WriteSeals(seg.Header.LogId, rest.Values.ToList());
    }

    /// <summary>Writes the seal file; if that fails, removes it. A seal file that says more than the segments hold must
    /// never stay behind, so when neither works open fails.</summary>
    private void WriteSeals(ulong logId, List<SegmentSeal> seals)
    {
        try
        {
            SegmentSealFile.Write(_fs, _dir, logId, seals);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var path = Path.Combine(_dir, SegmentSealFile.FileName);
            if (_fs.FileExists(path)) _fs.Delete(path);
            _fs.SyncDirectory(_dir);
            seals = [];
        }
        _sealsOnDisk = seals.ToDictionary(s => s.BaseOffset);
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
            if (_movedAway.Contains(c.Path)) continue;
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
        _movedAway.Add(c.Path);
        string target = c.Path + ".dropped";
        for (int k = 1; _fs.FileExists(target); k++) target = $"{c.Path}.dropped.{k}";
        _fs.Rename(c.Path, target);
        _events.Add(new RecoveryEvent(RecoveryEventKind.SegmentDropped, c.Path, 0, 0, $"{why}; moved to {Path.GetFileName(target)}"));
        if (sync) _fs.SyncDirectory(_dir);
    }

    private void Remove(Candidate c, RecoveryEventKind kind, string why, bool sync = true)
    {
        c.File.Dispose();
        _movedAway.Add(c.Path);
        _fs.Delete(c.Path);
        _events.Add(new RecoveryEvent(kind, c.Path, 0, 0, why));
        if (sync) _fs.SyncDirectory(_dir);
    }
}
