using System.Buffers.Binary;

namespace AkkaWal.Storage;

/// <summary>What open needs of a sealed segment, recorded when it was sealed (or verified by a full scan): which
/// segment (base and header checksum), where its data ends and how many records it holds.</summary>
internal readonly record struct SegmentSeal(long BaseOffset, uint HeaderCrc, long DataEnd, long Records);

/// <summary>
/// The seal file (<c>segments.seals</c>, layout in docs/FORMAT.md): the seals of the log's sealed segments, so open
/// need not scan a segment that was complete and durable when the writer left it. A cache: written durably (temp
/// file, fdatasync, rename, directory fsync) and used only when its checksum, log id and each entry's segment header
/// checksum match; a missing or refused file only means open scans those segments, as without it.
/// </summary>
internal static class SegmentSealFile
{
    public const string FileName = "segments.seals";
    private const int HeaderSize = 24;
    private const int EntrySize = 28;
    private const ushort Version = 1;
    private static ReadOnlySpan<byte> Magic => "AKWALSEL"u8;

    /// <summary>The seals by segment base; empty when there is no usable file.</summary>
    public static Dictionary<long, SegmentSeal> Load(IWalFileSystem fs, string directory, ulong logId)
    {
        var seals = new Dictionary<long, SegmentSeal>();
        var path = Path.Combine(directory, FileName);
        if (!fs.FileExists(path)) return seals;
        byte[] bytes;
        using (var file = fs.OpenFile(path, WalFileOpen.ReadOnly))
        {
            if (file.Length is < HeaderSize + 4 or > 1L << 30) return seals;
            bytes = new byte[file.Length];
            if (file.Read(0, bytes) != bytes.Length) return seals;
        }
        var span = bytes.AsSpan();
        if (!span[..8].SequenceEqual(Magic) || BinaryPrimitives.ReadUInt16LittleEndian(span[8..]) != Version) return seals;
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[12..]);
        if (count < 0 || HeaderSize + (long)count * EntrySize + 4 != bytes.Length) return seals;
        if (BinaryPrimitives.ReadUInt32LittleEndian(span[^4..]) != Crc32C.Mask(Crc32C.Compute(span[..^4]))) return seals;
        if (BinaryPrimitives.ReadUInt64LittleEndian(span[16..]) != logId) return seals;
        for (var i = 0; i < count; i++)
        {
            var e = span[(HeaderSize + i * EntrySize)..];
            var seal = new SegmentSeal(BinaryPrimitives.ReadInt64LittleEndian(e), BinaryPrimitives.ReadUInt32LittleEndian(e[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(e[12..]), BinaryPrimitives.ReadInt64LittleEndian(e[20..]));
            seals[seal.BaseOffset] = seal;
        }
        return seals;
    }

    /// <summary>Replaces the file with <paramref name="seals"/>, durably and atomically.</summary>
    public static void Write(IWalFileSystem fs, string directory, ulong logId, IReadOnlyList<SegmentSeal> seals)
    {
        var bytes = new byte[HeaderSize + seals.Count * EntrySize + 4];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], seals.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], logId);
        for (var i = 0; i < seals.Count; i++)
        {
            var e = span[(HeaderSize + i * EntrySize)..];
            BinaryPrimitives.WriteInt64LittleEndian(e, seals[i].BaseOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(e[8..], seals[i].HeaderCrc);
            BinaryPrimitives.WriteInt64LittleEndian(e[12..], seals[i].DataEnd);
            BinaryPrimitives.WriteInt64LittleEndian(e[20..], seals[i].Records);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[^4..], Crc32C.Mask(Crc32C.Compute(span[..^4])));
        DurableDirectory.ReplaceFile(fs, directory, FileName, bytes);
    }

    /// <summary>
    /// True when the seal fits the segment: the same header checksum (the same segment of the same log), a data end
    /// inside the segment with the end-of-data mark (zeros) after it, and a valid first frame. The frames between are
    /// not read: they were complete and fsynced when the segment was sealed, and every read still checks its frame.
    /// </summary>
    public static bool Fits(SegmentSeal seal, Segment segment)
    {
        var file = segment.File;
        long limit = Math.Min(segment.Capacity, file.Length);
        if (seal.HeaderCrc != segment.Header.HeaderCrc || seal.DataEnd < SegmentHeader.Size + RecordFrame.HeaderSize || seal.DataEnd > limit)
            return false;
        if (seal.DataEnd + RecordFrame.HeaderSize <= limit)
        {
            Span<byte> end = stackalloc byte[RecordFrame.HeaderSize];
            if (file.Read(seal.DataEnd, end) != end.Length || end.IndexOfAnyExcept((byte)0) >= 0) return false;
        }
        var first = new FrameReader(file, SegmentHeader.Size, Math.Min(limit, seal.DataEnd), 4096);
        return first.Next(out _) is FrameStatus.Record or FrameStatus.Padding;
    }
}
