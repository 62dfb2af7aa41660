namespace AkkaWal.Storage;

/// <summary>What the caller of <see cref="SegmentScanner"/> does with a damaged range.</summary>
internal enum DamageAction
{
    /// <summary>The segment's data ends here (the caller cut it, or stops looking).</summary>
    Stop,
    /// <summary>Skip to the next frame that can start a record (<see cref="SegmentDamage.ResumeAt"/>) and go on.</summary>
    Skip,
}

/// <summary>One damaged range found by <see cref="SegmentScanner"/>, judged once for everyone (open and the tools).</summary>
internal sealed class SegmentDamage(SegmentScanner scanner, long at, long nonZeroEnd, string problem, TornTailRule.Verdict verdict)
{
    private long _resumeAt = -1;

    /// <summary>File offset where the log would be cut (a broken batch's first frame, or the bad frame).</summary>
    public long At { get; } = at;
    /// <summary>End of the non-zero bytes from <see cref="At"/> on (what a cut zeroes).</summary>
    public long NonZeroEnd { get; } = nonZeroEnd;
    public string Problem { get; } = problem;
    /// <summary>Only the last segment with data can have a torn tail (the remains of an unacknowledged write).</summary>
    public bool IsTornTail => verdict.Torn;
    /// <summary>Why it is where it is: empty for a torn tail, the torn-tail rule's reason in the last segment,
    /// "in a sealed segment" before it.</summary>
    public string Where => verdict.Torn ? "" : scanner.IsLast ? verdict.Reason : "in a sealed segment";
    /// <summary>First offset after <see cref="At"/> where a valid Full, BatchFirst or Padding frame starts (records can
    /// resume there); <see cref="NonZeroEnd"/> if none. Computed on first use: only skipping needs it.</summary>
    public long ResumeAt => _resumeAt >= 0 ? _resumeAt : _resumeAt = SegmentScanner.FindRecordStart(scanner.File, At + 1, NonZeroEnd, scanner.Limit);
}

/// <summary>The one walk over a segment's frames, shared by recovery (open) and every inspecting tool (verify, dump,
/// stats), like LevelDB's log reader: it checks every frame (<see cref="RecordFrame.Check"/>), assembles batches, finds
/// what ends the data, and judges each damaged range once (torn tail or corruption, <see cref="TornTailRule"/>). What to
/// do about damage is the caller's choice: recovery applies its mode, the tools report and skip.</summary>
internal sealed class SegmentScanner
{
    private readonly bool _mustHaveData;
    private readonly bool _keepPayloads;
    private readonly long _tornWriteWindow;

    /// <param name="file">The open segment file.</param>
    /// <param name="header">Its header, already validated.</param>
    /// <param name="isLast">The last segment with data: a torn tail is possible, and bytes after the end of data are damage.</param>
    /// <param name="mustHaveData">A sealed segment that later segments follow: holding no data at all is damage.</param>
    /// <param name="keepPayloads">Record payloads handed out stay valid after the callback (chunks are not reused).</param>
    public SegmentScanner(IWalFile file, SegmentHeader header, bool isLast, bool mustHaveData, bool keepPayloads = false)
    {
        File = file;
        IsLast = isLast;
        _mustHaveData = mustHaveData;
        _keepPayloads = keepPayloads;
        _tornWriteWindow = header.TornWriteWindow;
        Limit = Math.Min(header.Capacity, file.Length);
    }

    public IWalFile File { get; }
    public bool IsLast { get; }
    /// <summary>End of the bytes that can hold frames: the capacity, or the file's length when it is shorter.</summary>
    public long Limit { get; }

    /// <summary>File offset just after the last complete record or padding (where appends continue).</summary>
    public long DataEnd { get; private set; } = SegmentHeader.Size;
    /// <summary>Complete records: Full ones and every record of a batch whose BatchLast was found.</summary>
    public long Records { get; private set; }
    public long PayloadBytes { get; private set; }
    /// <summary>Bytes of complete records' frames.</summary>
    public long RecordBytes { get; private set; }
    /// <summary>Bytes of padding frames and their holes.</summary>
    public long PaddingBytes { get; private set; }
    /// <summary>Bytes from the header to where the walk stopped.</summary>
    public long BytesScanned { get; private set; }
    /// <summary>Damaged ranges [start, end) skipped on the caller's request.</summary>
    public List<(long Start, long End)>? SkipRanges { get; private set; }

    /// <summary>Walks the segment. <paramref name="onFrame"/> gets each complete record's frames (a batch's when its
    /// BatchLast arrives) and each padding frame; <paramref name="onDamage"/> decides about each damaged range.</summary>
    public void Run(Action<Frame>? onFrame, Func<SegmentDamage, DamageAction> onDamage)
    {
        var reader = NewReader(SegmentHeader.Size);
        var batch = new List<Frame>();
        long batchStart = -1;
        while (true)
        {
            var st = reader.Next(out var f);
            string? problem = null;
            long at = f.Offset;
            long searchFrom = f.Offset + 1; // where a later valid frame would show that acknowledged data follows
            bool atEnd = false;
            switch (st)
            {
                case FrameStatus.Record:
                    switch (f.Type)
                    {
                        case RecordType.Full when batchStart < 0:
                            Complete(f, onFrame);
                            DataEnd = reader.Offset;
                            break;
                        case RecordType.BatchFirst when batchStart < 0:
                            batchStart = f.Offset;
                            batch.Add(f);
                            break;
                        case RecordType.BatchMiddle when batchStart >= 0:
                            batch.Add(f);
                            break;
                        case RecordType.BatchLast when batchStart >= 0:
                            batch.Add(f);
                            foreach (var b in batch) Complete(b, onFrame);
                            batch.Clear();
                            batchStart = -1;
                            DataEnd = reader.Offset;
                            break;
                        case RecordType.BatchMiddle or RecordType.BatchLast:
                            problem = $"{f.Type} record without a BatchFirst before it";
                            break;
                        default:
                            // A valid frame interrupts the batch: it is later data, so the batch is cut from its start.
                            problem = $"the batch starting here is interrupted by a {f.Type} record at offset {f.Offset}";
                            at = batchStart;
                            searchFrom = f.Offset;
                            break;
                    }
                    break;
                case FrameStatus.Padding when batchStart < 0:
                    PaddingBytes += f.Span;
                    onFrame?.Invoke(f);
                    DataEnd = reader.Offset;
                    break;
                case FrameStatus.Padding:
                    problem = $"the batch starting here is interrupted by padding at offset {f.Offset}";
                    at = batchStart;
                    searchFrom = f.Offset;
                    break;
                case FrameStatus.EndOfData or FrameStatus.EndOfSegment:
                    atEnd = true;
                    BytesScanned = f.Offset - SegmentHeader.Size;
                    if (batchStart >= 0)
                    {
                        problem = $"incomplete batch: data ends at offset {f.Offset} before its BatchLast record";
                        at = batchStart;
                    }
                    else if (IsLast)
                    {
                        long nz = FrameReader.EndOfNonZero(File, f.Offset, Limit);
                        if (nz < 0) return;
                        problem = $"non-zero bytes up to offset {nz} after the end of data";
                    }
                    else if (_mustHaveData && DataEnd == SegmentHeader.Size && SkipRanges is null)
                        problem = "sealed segment holds no data although later segments do (lost writes?)";
                    else return;
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

            long nonZeroEnd = Math.Max(FrameReader.EndOfNonZero(File, at, Limit), at);
            var verdict = IsLast ? TornTailRule.Judge(File, at, searchFrom, nonZeroEnd, Limit, _tornWriteWindow) : default;
            var damage = new SegmentDamage(this, at, nonZeroEnd, problem, verdict);
            if (onDamage(damage) == DamageAction.Stop)
            {
                BytesScanned = Math.Max(BytesScanned, at - SegmentHeader.Size);
                return;
            }
            long resume = damage.ResumeAt;
            if (resume > at) (SkipRanges ??= []).Add((at, resume));
            if (resume >= nonZeroEnd) DataEnd = Math.Max(DataEnd, resume);
            if (atEnd && resume <= f.Offset || resume >= Limit) return;
            batch.Clear();
            batchStart = -1;
            reader = NewReader(resume);
        }
    }

    private FrameReader NewReader(long start) => new(File, start, Limit, freshChunks: _keepPayloads);

    private void Complete(Frame f, Action<Frame>? onFrame)
    {
        Records++;
        PayloadBytes += f.Payload.Length;
        RecordBytes += f.Span;
        onFrame?.Invoke(f);
    }

    /// <summary>How far past the search range a frame that starts inside it is read.</summary>
    private const int FrameSlack = 64 * 1024;

    /// <summary>First offset in [from, end) where a valid Full, BatchFirst or Padding frame starts (a record can begin
    /// there); end if none. <paramref name="limit"/> bounds the frame (a padding hole may reach past <paramref name="end"/>).</summary>
    internal static long FindRecordStart(IWalFile file, long from, long end, long limit)
    {
        if (from >= end) return end;
        // Read a little past `end`: a valid frame that starts before it may end in zero bytes.
        var buf = new byte[Math.Min(limit, end + FrameSlack) - from];
        int n = file.Read(from, buf);
        for (int i = 0; i + RecordFrame.HeaderSize <= n && from + i < end; i++)
        {
            byte type = buf[i + 8]; // cheap rejection first: most positions in damaged data fail here
            if (type is not ((byte)RecordType.Full or (byte)RecordType.BatchFirst or (byte)RecordType.Padding)) continue;
            if (RecordFrame.Check(buf.AsSpan(i, n - i), limit - (from + i), out _, out _, out _, out _) == FrameVerdict.Valid) return from + i;
        }
        return end;
    }
}
