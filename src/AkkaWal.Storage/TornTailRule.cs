using System.Buffers.Binary;

namespace AkkaWal.Storage;

/// <summary>Tells a torn tail (the remains of the last unsynced write, never acknowledged) from corruption of
/// acknowledged data in the last segment with data (docs/FORMAT.md, "Recovery", step 4). Runs only on damage.</summary>
internal static class TornTailRule
{
    /// <summary>The smallest unit a disk writes atomically; a sector dropped by a power cut reads back as zeros in a
    /// preallocated segment (a 4 KiB page is eight of them).</summary>
    public const int SectorSize = 512;

    public readonly record struct Verdict(bool Torn, long LaterFrame, string Reason);

    /// <summary>Damage at <paramref name="at"/> (where the log would be cut) is a torn tail when all non-zero data after it
    /// fits one unsynced write (<paramref name="window"/> bytes), and either no valid frame starts at or after
    /// <paramref name="searchFrom"/> in the written data, or a sector dropped by the disk (all zero from
    /// <paramref name="at"/> on) lies between the damage and that frame: the later frames were part of the same unsynced
    /// write. Otherwise the later frames were acknowledged and the damage is corruption.</summary>
    public static Verdict Judge(IWalFile file, long at, long searchFrom, long nonZeroEnd, long limit, long window)
    {
        if (nonZeroEnd > at + window)
            return new(false, -1, $"non-zero data continues to offset {nonZeroEnd}, beyond the {window}-byte window of one unsynced write, so it is not a torn tail");
        long laterFrame = FindValidFrame(file, at, Math.Max(searchFrom, at), nonZeroEnd, limit, window, out byte[] buf);
        if (laterFrame < 0) return new(true, -1, "");
        long sector = FindZeroSector(buf, at, laterFrame);
        if (sector >= 0) return new(true, laterFrame, "");
        return new(false, laterFrame,
            $"a valid frame follows at offset {laterFrame} with no dropped (all-zero) sector in between, so the records after it were acknowledged and this is not a torn tail");
    }

    /// <summary>First offset in [from, nonZeroEnd) where a valid frame starts (length 1..window that fits the data read,
    /// known type, checksum ok); -1 if none. <paramref name="buf"/> holds the bytes from <paramref name="at"/> on.</summary>
    private static long FindValidFrame(IWalFile file, long at, long from, long nonZeroEnd, long limit, long window, out byte[] buf)
    {
        // A valid frame is at most `window` bytes, so one starting before nonZeroEnd ends before nonZeroEnd + window.
        long end = Math.Min(limit, nonZeroEnd + window);
        buf = new byte[Math.Max(0, end - at)];
        int n = ReadFully(file, at, buf);
        for (long o = from; o < nonZeroEnd; o++)
        {
            int i = (int)(o - at);
            if (i + RecordFrame.HeaderSize > n) break;
            uint len = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(i));
            // Cheap rejections first: most positions in damaged data fail here without a checksum.
            if (len == 0 || len > window || len > n - i - 8) continue;
            byte type = buf[i + 8];
            if (type is 0 or > (byte)RecordType.Padding) continue;
            if (RecordFrame.Check(buf.AsSpan(i, n - i), limit - o, out _, out _, out _, out _) == FrameVerdict.Valid) return o;
        }
        return -1;
    }

    /// <summary>Start of a 512-byte-aligned sector that ends at or before <paramref name="laterFrame"/> and whose bytes
    /// from <paramref name="at"/> on are all zero (the bytes of the sector containing X that lie before X belong to
    /// earlier, synced writes); -1 if none.</summary>
    private static long FindZeroSector(byte[] buf, long at, long laterFrame)
    {
        for (long s = at / SectorSize * SectorSize; s + SectorSize <= laterFrame; s += SectorSize)
        {
            long from = Math.Max(s, at);
            if (buf.AsSpan((int)(from - at), (int)(s + SectorSize - from)).IndexOfAnyExcept((byte)0) < 0) return s;
        }
        return -1;
    }

    private static int ReadFully(IWalFile file, long offset, byte[] buf)
    {
        int total = 0;
        while (total < buf.Length)
        {
            int n = file.Read(offset + total, buf.AsSpan(total));
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
