namespace AkkaWal.TestSupport;

/// <summary>
/// Byte-level access to a log's segment files, for tests that damage them on purpose. A segment file is named by the
/// log position of its first byte (docs/FORMAT.md, "The directory"). Files are opened shared, so a log or journal that
/// still holds them open can be damaged under it.
/// </summary>
public static class LogFiles
{
    /// <summary>The segment file in <paramref name="directory"/> that holds log <paramref name="position"/>, and the
    /// position's offset in it.</summary>
    public static (string File, long Offset) Locate(string directory, long position)
    {
        var segment = Directory.GetFiles(directory, "*.wal")
            .Select(f => (File: f, Base: long.Parse(Path.GetFileNameWithoutExtension(f))))
            .Where(s => s.Base <= position).OrderBy(s => s.Base).Last();
        return (segment.File, position - segment.Base);
    }

    /// <summary>Overwrites <paramref name="bytes"/> at <paramref name="offset"/> of <paramref name="file"/>.</summary>
    public static void Patch(string file, long offset, ReadOnlySpan<byte> bytes)
    {
        using var fs = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        fs.Position = offset;
        fs.Write(bytes);
    }

    /// <summary>Flips the bits of <paramref name="mask"/> in the byte at <paramref name="offset"/> of <paramref name="file"/>.</summary>
    public static void Xor(string file, long offset, byte mask)
    {
        using var fs = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        fs.Position = offset;
        var b = fs.ReadByte();
        fs.Position = offset;
        fs.WriteByte((byte)(b ^ mask));
    }
}
