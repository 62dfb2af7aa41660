using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace AkkaWal.Storage;

/// <summary>CRC32C (Castagnoli). System.IO.Hashing 10.0.0 only has the IEEE CRC32, so this uses the SSE4.2/ARM
/// crc32c instruction through <see cref="BitOperations.Crc32C(uint, ulong)"/> (software fallback on other CPUs).</summary>
internal static class Crc32C
{
    private const uint MaskDelta = 0xa282ead8u;

    /// <summary>CRC32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFFu, data);

    /// <summary>Feeds bytes into a running (non-inverted) CRC state; start with 0xFFFFFFFF and invert at the end.</summary>
    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int n = data.Length;
        int i = 0;
        // Three independent streams would be faster; one 8-byte stream already runs at several GB/s.
        for (; i + 32 <= n; i += 32)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe_Add(ref p, i), 8)));
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe_Add(ref p, i + 8), 8)));
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe_Add(ref p, i + 16), 8)));
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe_Add(ref p, i + 24), 8)));
        }
        for (; i + 8 <= n; i += 8)
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe_Add(ref p, i), 8)));
        for (; i < n; i++)
            state = BitOperations.Crc32C(state, Unsafe_Add(ref p, i));
        return state;
    }

    /// <summary>CRC32C of one type byte followed by a payload (what a frame's checksum covers).</summary>
    public static uint OfTypeAndPayload(byte type, ReadOnlySpan<byte> payload)
        => ~Update(BitOperations.Crc32C(0xFFFFFFFFu, type), payload);

    /// <summary>LevelDB's mask: a CRC stored inside checksummed data must not look like the CRC of that data.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    public static uint Unmask(uint masked)
    {
        uint rot = masked - MaskDelta;
        return (rot >> 17) | (rot << 15);
    }

    private static ref byte Unsafe_Add(ref byte b, int offset) => ref System.Runtime.CompilerServices.Unsafe.Add(ref b, offset);
}
