namespace AkkaWal.Storage.Tests;

/// <summary>A fresh directory under the system temp path, deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "akkawal-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string[] SegmentFiles() => Directory.GetFiles(Path, "*.wal").Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

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
