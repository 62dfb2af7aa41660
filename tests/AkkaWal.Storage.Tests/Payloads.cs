namespace AkkaWal.Storage.Tests;

internal static class Payloads
{
    /// <summary>A deterministic payload that encodes its id, so tests can check content and order.</summary>
    public static byte[] For(long id, int size = 16)
    {
        var b = new byte[Math.Max(size, 8)];
        BitConverter.TryWriteBytes(b, id);
        for (int i = 8; i < b.Length; i++) b[i] = (byte)(id * 31 + i);
        return b;
    }

    public static long IdOf(ReadOnlySpan<byte> payload) => BitConverter.ToInt64(payload[..8]);

    public static bool Matches(long id, ReadOnlySpan<byte> payload, int size = 16) => payload.SequenceEqual(For(id, size));
}
