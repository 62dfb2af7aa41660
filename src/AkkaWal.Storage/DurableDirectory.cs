namespace AkkaWal.Storage;

/// <summary>Creates a log directory so that it survives a power cut: a new directory is only an entry in its parent until
/// the parent is fsynced, and a power cut right after the first acknowledged write would otherwise lose the directory
/// and every segment in it.</summary>
internal static class DurableDirectory
{
    /// <summary>Creates <paramref name="directory"/> and any missing parent, then fsyncs the parent of every level that was
    /// created, and always the directory's own parent (an earlier process may have created it and died before syncing).</summary>
    public static void Create(IWalFileSystem fs, string directory)
    {
        ArgumentNullException.ThrowIfNull(fs);
        string full = Path.GetFullPath(directory);
        var created = new List<string>();
        for (string? d = full; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d)) created.Add(d);
        if (created.Count > 0) fs.CreateDirectory(full);
        if (created.Count == 0) created.Add(full);
        // Top-down: each level's entry is durable before the entry below it is.
        for (int i = created.Count - 1; i >= 0; i--)
            if (Path.GetDirectoryName(created[i]) is { } parent) fs.SyncDirectory(parent);
    }

    /// <summary>Replaces <paramref name="fileName"/> in <paramref name="directory"/> with <paramref name="bytes"/> durably
    /// and atomically: a temp file in the same directory, fdatasync, rename over the old file, directory fsync. A crash at
    /// any point leaves the old file or the new one (a leftover temp file is removed by the engine's open).</summary>
    public static void ReplaceFile(IWalFileSystem fs, string directory, string fileName, ReadOnlySpan<byte> bytes)
    {
        var path = Path.Combine(directory, fileName);
        var tmp = path + ".tmp";
        if (fs.FileExists(tmp)) fs.Delete(tmp);
        using (var file = fs.OpenFile(tmp, WalFileOpen.CreateNew))
        {
            file.Write(0, bytes);
            file.FlushData();
        }
        fs.Rename(tmp, path);
        fs.SyncDirectory(directory);
    }
}
