namespace AkkaWal.Storage;

internal enum FrameStatus
{
    /// <summary>A data frame (Full or Batch*) with a valid checksum.</summary>
    Record,
    /// <summary>A padding frame; the reader has already skipped its hole.</summary>
    Padding,
    /// <summary>A zero frame header: no more data in this segment.</summary>
    EndOfData,
    /// <summary>Fewer bytes than a frame header are left before the segment's capacity.</summary>
    EndOfSegment,
    /// <summary>Not a valid frame (reason in <see cref="Frame.Problem"/>).</summary>
    Bad,
}

/// <summary>One frame as seen by <see cref="FrameReader"/>. <see cref="Payload"/> is a slice of the reader's chunk buffer.</summary>
internal readonly struct Frame
{
    public long Offset { get; init; }
    public RecordType Type { get; init; }
    public ReadOnlyMemory<byte> Payload { get; init; }
    public long HoleBytes { get; init; }
    public string? Problem { get; init; }
    /// <summary>Bytes from <see cref="Offset"/> to the next frame (header + payload, plus the hole for padding).</summary>
    public long Span { get; init; }
}

/// <summary>Sequential frame parser over one segment, reading large chunks so a scan costs no per-record allocation.
/// With <c>freshChunks</c> every refill gets a new buffer, so payload slices handed out earlier stay valid.</summary>
internal sealed class FrameReader
{
    private readonly IWalFile _file;
    private readonly long _limit;
    private readonly int _chunkSize;
    private readonly bool _freshChunks;
    private byte[] _buf;
    private long _bufStart;
    private int _bufLen;

    public FrameReader(IWalFile file, long start, long limit, int chunkSize = 1 << 20, bool freshChunks = false)
    {
        _file = file;
        _limit = limit;
        _chunkSize = chunkSize;
        _freshChunks = freshChunks;
        _buf = new byte[(int)Math.Clamp(limit - start, 64, chunkSize)];
        _bufStart = start;
        Offset = start;
    }

    /// <summary>File offset of the next frame.</summary>
    public long Offset { get; set; }
    public long Limit => _limit;

    public FrameStatus Next(out Frame frame)
    {
        long o = Offset;
        if (_limit - o < RecordFrame.HeaderSize)
        {
            frame = new Frame { Offset = o };
            return FrameStatus.EndOfSegment;
        }
        if (!Ensure(o, RecordFrame.HeaderSize))
        {
            // The file is shorter than its capacity: missing bytes read as zeros, i.e. the end of data.
            frame = new Frame { Offset = o };
            return FrameStatus.EndOfData;
        }
        var v = RecordFrame.Check(Available(o), _limit - o, out uint len, out var rt, out long hole, out string? problem);
        if (v == FrameVerdict.Incomplete)
        {
            if (!Ensure(o, 8 + (int)len))
                return Bad(o, $"frame length {len} runs past the end of the file", out frame);
            v = RecordFrame.Check(Available(o), _limit - o, out len, out rt, out hole, out problem);
        }
        if (v == FrameVerdict.EndOfData)
        {
            frame = new Frame { Offset = o };
            return FrameStatus.EndOfData;
        }
        if (v != FrameVerdict.Valid) return Bad(o, problem!, out frame);
        if (rt == RecordType.Padding)
        {
            frame = new Frame { Offset = o, Type = rt, HoleBytes = hole, Span = 8 + len + hole };
            Offset = o + 8 + len + hole;
            return FrameStatus.Padding;
        }
        frame = new Frame
        {
            Offset = o, Type = rt, Span = 8 + len,
            Payload = new ReadOnlyMemory<byte>(_buf, (int)(o - _bufStart) + RecordFrame.HeaderSize, (int)len - 1),
        };
        Offset = o + 8 + len;
        return FrameStatus.Record;
    }

    private ReadOnlySpan<byte> Available(long offset) => _buf.AsSpan((int)(offset - _bufStart), (int)(_bufStart + _bufLen - offset));

    private static FrameStatus Bad(long o, string problem, out Frame frame)
    {
        frame = new Frame { Offset = o, Problem = problem };
        return FrameStatus.Bad;
    }

    /// <summary>Makes [offset, offset+count) available in the buffer; false if the file ends before that.</summary>
    private bool Ensure(long offset, int count)
    {
        if (offset >= _bufStart && offset + count <= _bufStart + _bufLen) return true;
        int keep = 0;
        if (offset >= _bufStart && offset < _bufStart + _bufLen) keep = (int)(_bufStart + _bufLen - offset);
        byte[] target = _buf;
        if (_freshChunks || count > _buf.Length) target = GC.AllocateUninitializedArray<byte>(Math.Max(count, _chunkSize)); // filled by the read below
        if (keep > 0) Buffer.BlockCopy(_buf, (int)(offset - _bufStart), target, 0, keep);
        _buf = target;
        _bufStart = offset;
        _bufLen = keep;
        long want = Math.Min(_buf.Length, _limit - offset);
        while (_bufLen < want)
        {
            int n = _file.Read(offset + _bufLen, _buf.AsSpan(_bufLen, (int)(want - _bufLen)));
            if (n == 0) break;
            _bufLen += n;
        }
        return _bufLen >= count;
    }

    /// <summary>Offset just past the last non-zero byte in [from, limit), or -1 if all zero.</summary>
    public static long EndOfNonZero(IWalFile file, long from, long limit)
    {
        const int chunk = 1 << 20;
        var buf = new byte[chunk];
        long result = -1;
        for (long o = from; o < limit;)
        {
            int want = (int)Math.Min(chunk, limit - o);
            int n = file.Read(o, buf.AsSpan(0, want));
            if (n == 0) break;
            int last = buf.AsSpan(0, n).LastIndexOfAnyExcept((byte)0);
            if (last >= 0) result = o + last + 1;
            o += n;
        }
        return result;
    }
}
