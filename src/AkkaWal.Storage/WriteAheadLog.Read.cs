namespace AkkaWal.Storage;

// Readers: only records below DurableEnd, straight from the segment files (positional reads, no locks).
public sealed partial class WriteAheadLog
{
    private const int ReadChunk = 1 << 20;

    /// <summary>Durable records at or after <paramref name="position"/>, in log order, across segments. The end is
    /// fixed when enumeration starts. Payloads are slices of 1 MiB read chunks (no per-record allocation).</summary>
    public IEnumerable<LogRecord> ReadFrom(long position = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        return ReadRange(position);
    }

    private IEnumerable<LogRecord> ReadRange(long position)
    {
        ThrowIfDisposed();
        long end = DurableEnd;
        var segments = Volatile.Read(ref _segments);
        int i = FindSegment(segments, position);
        if (i < 0) i = position < segments[0].Base ? 0 : segments.Length;
        for (; i < segments.Length && segments[i].Base < end; i++)
        {
            var seg = segments[i];
            long limit = Math.Min(seg.Capacity, end - seg.Base);
            long start = Math.Max(position - seg.Base, SegmentHeader.Size);
            if (start >= limit) continue;
            if (start > SegmentHeader.Size && !IsFrameStart(seg, start, limit)) start = SegmentHeader.Size;
            var reader = new FrameReader(seg.File, start, limit, ReadChunk, freshChunks: true);
            int skip = 0;
            while (true)
            {
                if (seg.SkipRanges is { } ranges)
                {
                    while (skip < ranges.Count && ranges[skip].End <= reader.Offset) skip++;
                    if (skip < ranges.Count && ranges[skip].Start <= reader.Offset) reader.Offset = ranges[skip].End;
                }
                FrameStatus st;
                Frame f;
                try
                {
                    st = reader.Next(out f);
                }
                catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) == 0)
                {
                    // Compaction replaced the file. Kept records are byte-identical at the same offsets, but the
                    // offset we stopped at may now sit inside a padding run, so walk the new file from its start and
                    // yield only what comes after the point already reached.
                    position = Math.Max(position, seg.Base + reader.Offset);
                    reader = new FrameReader(seg.File, SegmentHeader.Size, limit, ReadChunk, freshChunks: true);
                    skip = 0;
                    continue;
                }
                if (st == FrameStatus.Record)
                {
                    long pos = seg.Base + f.Offset;
                    if (pos >= position) yield return new LogRecord(pos, f.Payload);
                    continue;
                }
                if (st == FrameStatus.Padding) continue;
                if (st == FrameStatus.Bad)
                    throw new WalCorruptionException(seg.Path, f.Offset, f.Problem + " (below the durable end: the file changed after it was verified)");
                break;
            }
        }
    }

    /// <summary>One durable record by its position.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No durable record starts at <paramref name="position"/>.</exception>
    /// <exception cref="WalCorruptionException">The record there fails its checksum.</exception>
    public LogRecord ReadAt(long position)
    {
        ThrowIfDisposed();
        long end = DurableEnd;
        var segments = Volatile.Read(ref _segments);
        int i = FindSegment(segments, position);
        if (position >= end || i < 0 || position - segments[i].Base < SegmentHeader.Size)
            throw new ArgumentOutOfRangeException(nameof(position), position, $"No durable record at position {position} (durable end {end}).");
        var seg = segments[i];
        long offset = position - seg.Base;
        if (seg.SkipRanges is { } skipped && skipped.Any(r => offset >= r.Start && offset < r.End))
            throw new ArgumentOutOfRangeException(nameof(position), position,
                $"No record at position {position}: '{seg.Path}' offset {offset} is in a damaged range that recovery (skip-corrupted) skipped.");
        long room = Math.Min(seg.Capacity, end - seg.Base) - offset;
        Span<byte> h = stackalloc byte[RecordFrame.HeaderSize];
        while (true)
        {
            try
            {
                var file = seg.File;
                if (file.Read(offset, h) < h.Length) break;
                var v = RecordFrame.Check(h, room, out uint len, out _, out _, out _);
                if (v is FrameVerdict.EndOfData or FrameVerdict.Bad) break;
                var frame = new byte[8 + len];
                if (file.Read(offset, frame) < frame.Length) break;
                var verdict = RecordFrame.Check(frame, room, out _, out var type, out _, out _);
                // A plausible header whose checksum fails is damage (open may have taken this sealed segment from its
                // seal without reading it), not a wrong position: say so, naming the file and offset.
                if (verdict == FrameVerdict.Bad)
                    throw new WalCorruptionException(seg.Path, offset, "record checksum mismatch (below the durable end: the file changed after it was written)");
                if (verdict != FrameVerdict.Valid || !RecordFrame.IsDataType(type)) break;
                return new LogRecord(position, frame.AsMemory(RecordFrame.HeaderSize));
            }
            catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) == 0)
            {
                // Compaction swapped the file: retry on the new one.
            }
        }
        throw new ArgumentOutOfRangeException(nameof(position), position,
            $"No record starts at position {position} ('{seg.Path}' offset {offset}): not a record position, or removed by compaction.");
    }

    private static bool IsFrameStart(Segment seg, long offset, long limit)
    {
        try
        {
            var r = new FrameReader(seg.File, offset, limit, 4096);
            // Not EndOfData: after compaction a removed record's position may read as zeros inside a padding hole.
            return r.Next(out _) is FrameStatus.Record or FrameStatus.Padding;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Index of the segment holding <paramref name="position"/>, or -1.</summary>
    private static int FindSegment(Segment[] segments, long position)
    {
        int lo = 0, hi = segments.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var s = segments[mid];
            if (position < s.Base) hi = mid - 1;
            else if (position >= s.End) lo = mid + 1;
            else return mid;
        }
        return -1;
    }
}
