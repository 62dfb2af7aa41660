namespace AkkaWal.Storage.Tests;

/// <summary>Helpers that write a log and poke at its files the way crashes and bit rot do.</summary>
internal static class LogBuilder
{
    public static WalOptions Small(string dir, RecoveryMode mode = RecoveryMode.TolerateCorruptedTail, IWalFileSystem? fs = null,
        bool verifySealed = false) => new()
    {
        VerifySealedSegmentsOnOpen = verifySealed,
        Directory = dir,
        SegmentSize = 16 * 1024,
        MaxRecordSize = 1024,
        MaxGroupBytes = 4096, // torn-write window = 4096 bytes
        RecoveryMode = mode,
        FileSystem = fs ?? PhysicalFileSystem.Instance,
    };

    /// <summary>Appends records 0..count-1 one by one and returns their positions.</summary>
    public static async Task<long[]> WriteAsync(WalOptions options, int count, int size = 40)
    {
        await using var wal = WriteAheadLog.Open(options);
        var positions = new long[count];
        for (int i = 0; i < count; i++) positions[i] = await wal.AppendAsync(Payloads.For(i, size));
        return positions;
    }

    public static (string File, long Offset) Locate(string dir, long position) => LogFiles.Locate(dir, position);

    public static void Patch(string file, long offset, ReadOnlySpan<byte> bytes) => LogFiles.Patch(file, offset, bytes);

    public static void FlipBit(string file, long offset, int bit = 3) => LogFiles.Xor(file, offset, (byte)(1 << bit));

    public static byte[] ReadBytes(string file, long offset, int count)
    {
        using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        fs.Position = offset;
        var buf = new byte[count];
        fs.ReadExactly(buf);
        return buf;
    }

    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)), overwrite: true);
    }

    /// <summary>Ids of all records, in log order.</summary>
    public static List<long> Ids(WriteAheadLog wal) => wal.ReadFrom().Select(r => Payloads.IdOf(r.Payload.Span)).ToList();
}
