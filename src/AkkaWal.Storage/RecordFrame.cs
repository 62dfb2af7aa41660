using System.Buffers.Binary;

namespace AkkaWal.Storage;

/// <summary>Frame types (byte 8 of a frame).</summary>
public enum RecordType : byte
{
    /// <summary>Not a frame: a zero length marks the end of written data.</summary>
    EndOfData = 0,
    /// <summary>A record on its own (committed alone).</summary>
    Full = 1,
    /// <summary>The first record of an atomic batch.</summary>
    BatchFirst = 2,
    /// <summary>A record inside an atomic batch.</summary>
    BatchMiddle = 3,
    /// <summary>The last record of an atomic batch: the batch counts only once it is read.</summary>
    BatchLast = 4,
    /// <summary>Written by compaction: payload is a u64 count of hole bytes that follow the frame.</summary>
    Padding = 5,
}

/// <summary>What <see cref="RecordFrame.Check"/> found at one offset.</summary>
internal enum FrameVerdict
{
    /// <summary>A complete frame of a known type with a valid checksum.</summary>
    Valid,
    /// <summary>An all-zero header: no more data.</summary>
    EndOfData,
    /// <summary>More bytes are needed to decide.</summary>
    Incomplete,
    /// <summary>Not a valid frame (the problem says why).</summary>
    Bad,
}

/// <summary>Frame layout: u32 length (of type + payload, so never 0 for a frame) | u32 masked CRC32C of type+payload |
/// u8 type | payload. All integers little-endian.</summary>
internal static class RecordFrame
{
    public const int HeaderSize = 9;
    public const int PaddingPayloadSize = 8;
    public const int PaddingFrameSize = HeaderSize + PaddingPayloadSize;

    /// <summary>Bytes a frame with this payload takes on disk.</summary>
    public static long SizeOf(int payloadLength) => HeaderSize + (long)payloadLength;

    /// <summary>Writes one frame into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Write(Span<byte> destination, RecordType type, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)(payload.Length + 1));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32C.Mask(Crc32C.OfTypeAndPayload((byte)type, payload)));
        destination[8] = (byte)type;
        payload.CopyTo(destination[HeaderSize..]);
        return HeaderSize + payload.Length;
    }

    /// <summary>Writes the padding frame that covers a removed run of <paramref name="runBytes"/> (>= 9) bytes and
    /// returns the bytes written: the 17-byte form announcing the rest as a hole, or for runs of 9..16 bytes a frame of
    /// exactly that size with 0..7 zero filler bytes.</summary>
    public static int WritePadding(Span<byte> destination, long runBytes)
    {
        if (runBytes < HeaderSize) throw new ArgumentOutOfRangeException(nameof(runBytes), runBytes, "a removed run is at least one frame header");
        Span<byte> payload = stackalloc byte[PaddingPayloadSize];
        if (runBytes < PaddingFrameSize)
        {
            payload.Clear();
            return Write(destination, RecordType.Padding, payload[..(int)(runBytes - HeaderSize)]);
        }
        BinaryPrimitives.WriteUInt64LittleEndian(payload, (ulong)(runBytes - PaddingFrameSize));
        return Write(destination, RecordType.Padding, payload);
    }

    /// <summary>The one frame check (reading, recovery, resync, the torn-tail rule and the tools all use it).
    /// <paramref name="bytes"/> holds what is available from the frame's start (possibly less than the frame);
    /// <paramref name="room"/> is the number of bytes from the frame's start to the end of the segment's usable space.
    /// Returns <see cref="FrameVerdict.Incomplete"/> (with <paramref name="length"/> set when the header was read) when
    /// more bytes are needed to decide.</summary>
    internal static FrameVerdict Check(ReadOnlySpan<byte> bytes, long room, out uint length, out RecordType type, out long hole, out string? problem)
    {
        length = 0;
        type = RecordType.EndOfData;
        hole = 0;
        problem = null;
        if (bytes.Length < HeaderSize) return FrameVerdict.Incomplete;
        uint len = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        byte t = bytes[8];
        if (len == 0)
        {
            if (crc == 0 && t == 0) return FrameVerdict.EndOfData;
            problem = "frame length is 0 but its checksum/type bytes are not zero";
            return FrameVerdict.Bad;
        }
        length = len;
        if (len > room - 8)
        {
            problem = $"frame length {len} runs past the end of the segment ({room - 8} bytes left)";
            return FrameVerdict.Bad;
        }
        if (bytes.Length < 8 + (long)len) return FrameVerdict.Incomplete;
        var body = bytes.Slice(8, (int)len);
        uint actual = Crc32C.Mask(Crc32C.Compute(body));
        if (actual != crc)
        {
            problem = $"checksum mismatch (stored 0x{crc:x8}, computed 0x{actual:x8}, length {len}, type {t})";
            return FrameVerdict.Bad;
        }
        type = (RecordType)t;
        if (IsDataType(type)) return FrameVerdict.Valid;
        if (type == RecordType.Padding)
        {
            // 8-byte payload: u64 count of hole bytes after the frame. Shorter payload (0..7 filler bytes): no hole,
            // used for removed runs too small (9..16 bytes) to hold the 17-byte form.
            if (len - 1 > PaddingPayloadSize)
            {
                problem = $"padding frame has length {len}, at most {1 + PaddingPayloadSize} allowed";
                return FrameVerdict.Bad;
            }
            if (len - 1 == PaddingPayloadSize)
            {
                hole = (long)BinaryPrimitives.ReadUInt64LittleEndian(body[1..]);
                if (hole < 0 || hole > room - PaddingFrameSize)
                {
                    problem = $"padding hole of {hole} bytes runs past the end of the data";
                    return FrameVerdict.Bad;
                }
            }
            return FrameVerdict.Valid;
        }
        problem = $"unknown record type {t} (valid checksum: written by a newer format?)";
        return FrameVerdict.Bad;
    }

    internal static bool IsDataType(RecordType t) => t is RecordType.Full or RecordType.BatchFirst or RecordType.BatchMiddle or RecordType.BatchLast;
}
