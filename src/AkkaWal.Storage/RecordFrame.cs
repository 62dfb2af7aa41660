using System.Buffers.Binary;

namespace AkkaWal.Storage;

/// <summary>Frame types (byte 8 of a frame).</summary>
public enum RecordType : byte
{
    /// <summary>Not a frame: a zero length marks the end of written data.</summary>
    EndOfData = 0,
    Full = 1,
    BatchFirst = 2,
    BatchMiddle = 3,
    BatchLast = 4,
    /// <summary>Written by compaction: payload is a u64 count of hole bytes that follow the frame.</summary>
    Padding = 5,
}

/// <summary>Frame layout: u32 length (of type + payload, so never 0 for a frame) | u32 masked CRC32C of type+payload |
/// u8 type | payload. All integers little-endian.</summary>
public static class RecordFrame
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

    internal static bool IsDataType(RecordType t) => t is RecordType.Full or RecordType.BatchFirst or RecordType.BatchMiddle or RecordType.BatchLast;
}
