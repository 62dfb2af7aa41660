using System.Buffers.Binary;

namespace AkkaWal.Storage;

/// <summary>The fixed 64-byte header at the start of every segment file (layout in docs/FORMAT.md).</summary>
internal sealed record SegmentHeader(
    long BaseOffset,
    long Capacity,
    long SegmentNumber,
    long PreviousBase,
    uint PreviousHeaderCrc,
    uint TornWriteWindow,
    ulong LogId,
    uint HeaderCrc)
{
    public const int Size = 64;
    public const ushort FormatVersion = 1;
    public const long NoPrevious = -1; // stored as 0xFFFFFFFFFFFFFFFF
    public static ReadOnlySpan<byte> Magic => "AKWALSEG"u8;

    public bool HasPrevious => PreviousBase != NoPrevious;

    /// <summary>Builds a header (computing its CRC) for a new segment.</summary>
    public static SegmentHeader Create(long baseOffset, long capacity, long number, SegmentHeader? previous, long tornWindow)
    {
        // A random id shared by all segments of one log, so a segment of another log never fits the chain.
        ulong logId = previous?.LogId ?? (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        var h = new SegmentHeader(baseOffset, capacity, number, previous?.BaseOffset ?? NoPrevious, previous?.HeaderCrc ?? 0,
            (uint)Math.Min(tornWindow, uint.MaxValue), logId, 0);
        Span<byte> buf = stackalloc byte[Size];
        h.WriteTo(buf);
        return h with { HeaderCrc = BinaryPrimitives.ReadUInt32LittleEndian(buf[60..]) };
    }

    /// <summary>Serialises the header (with a freshly computed CRC) into 64 bytes.</summary>
    public void WriteTo(Span<byte> dest)
    {
        dest[..Size].Clear();
        Magic.CopyTo(dest);
        BinaryPrimitives.WriteUInt16LittleEndian(dest[8..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(dest[10..], Size);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[12..], TornWriteWindow);
        BinaryPrimitives.WriteInt64LittleEndian(dest[16..], BaseOffset);
        BinaryPrimitives.WriteInt64LittleEndian(dest[24..], Capacity);
        BinaryPrimitives.WriteInt64LittleEndian(dest[32..], SegmentNumber);
        BinaryPrimitives.WriteInt64LittleEndian(dest[40..], PreviousBase);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[48..], PreviousHeaderCrc);
        BinaryPrimitives.WriteUInt64LittleEndian(dest[52..], LogId);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[60..], Crc32C.Mask(Crc32C.Compute(dest[..60])));
    }

    /// <summary>Parses and checks a header; returns null and a reason when it is not valid.</summary>
    public static SegmentHeader? TryRead(ReadOnlySpan<byte> src, out string? problem)
    {
        problem = null;
        if (src.Length < Size) { problem = $"file is shorter than the {Size}-byte segment header"; return null; }
        if (!src[..8].SequenceEqual(Magic)) { problem = "bad magic (not an AkkaWal segment)"; return null; }
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(src[8..]);
        if (version != FormatVersion) { problem = $"unsupported format version {version} (this build reads {FormatVersion})"; return null; }
        ushort len = BinaryPrimitives.ReadUInt16LittleEndian(src[10..]);
        if (len != Size) { problem = $"unsupported header length {len}"; return null; }
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(src[60..]);
        uint actual = Crc32C.Mask(Crc32C.Compute(src[..60]));
        if (stored != actual) { problem = $"header checksum mismatch (stored 0x{stored:x8}, computed 0x{actual:x8})"; return null; }
        var h = new SegmentHeader(
            BinaryPrimitives.ReadInt64LittleEndian(src[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(src[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(src[32..]),
            BinaryPrimitives.ReadInt64LittleEndian(src[40..]),
            BinaryPrimitives.ReadUInt32LittleEndian(src[48..]),
            BinaryPrimitives.ReadUInt32LittleEndian(src[12..]),
            BinaryPrimitives.ReadUInt64LittleEndian(src[52..]),
            stored);
        if (h.Capacity < Size + RecordFrame.HeaderSize || h.BaseOffset < 0) { problem = $"implausible capacity {h.Capacity} or base {h.BaseOffset}"; return null; }
        return h;
    }

    /// <summary>Checks that this header follows <paramref name="previous"/> in the chain; returns the problem or null.</summary>
    public string? CheckFollows(SegmentHeader? previous)
    {
        if (previous is null)
            return HasPrevious ? $"segment links to a previous segment at base {PreviousBase} which is missing" : null;
        if (LogId != previous.LogId)
            return $"segment belongs to log 0x{LogId:x16} but the previous segment to log 0x{previous.LogId:x16}: a foreign segment";
        if (PreviousBase != previous.BaseOffset || PreviousHeaderCrc != previous.HeaderCrc)
            return $"segment links to previous base {PreviousBase} (header crc 0x{PreviousHeaderCrc:x8}) but the previous file is base {previous.BaseOffset} (header crc 0x{previous.HeaderCrc:x8}): a segment is missing, reordered or foreign";
        if (BaseOffset != previous.BaseOffset + previous.Capacity)
            return $"segment base {BaseOffset} does not follow previous base {previous.BaseOffset} + capacity {previous.Capacity}";
        if (SegmentNumber != previous.SegmentNumber + 1)
            return $"segment number {SegmentNumber} does not follow {previous.SegmentNumber}";
        return null;
    }

    public static string FileNameFor(long baseOffset) => $"{baseOffset:D20}.wal";

    /// <summary>Parses a segment file name; false for anything else.</summary>
    public static bool TryParseFileName(string fileName, out long baseOffset)
    {
        baseOffset = 0;
        return fileName.Length == 24 && fileName.EndsWith(".wal", StringComparison.Ordinal)
            && fileName.AsSpan(0, 20).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(fileName.AsSpan(0, 20), System.Globalization.NumberStyles.None, null, out baseOffset);
    }
}
