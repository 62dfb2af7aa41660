using System.Runtime.InteropServices;
using System.Text;

namespace AkkaWal.Benchmarks.Transactions;

/// <summary>
/// The older service's generation-1 approach, for comparison: the whole JSON-lines file holds one line per transaction
/// and every commit rewrites it (temp file, write, fsync, rename, fsync of the directory) with that line's
/// <c>"committed"</c> flipped to true. A commit costs O(n) in the number of lines, n commits O(n^2).
/// </summary>
public sealed class LegacyRewriteLog
{
    private readonly string _path;
    private readonly string _directory;
    private readonly List<(string TxId, string Changes, bool Committed)> _lines = [];

    public LegacyRewriteLog(string directory)
    {
        _directory = directory;
        _path = Path.Combine(directory, "legacy-gen1.jsonl");
    }

    public int Count => _lines.Count;

    /// <summary>Adds a prepared (uncommitted) transaction; the file is rewritten by the next commit.</summary>
    public void AddPrepared(string txId, string changesJson) => _lines.Add((txId, changesJson, false));

    public void Commit(int index)
    {
        _lines[index] = _lines[index] with { Committed = true };
        Rewrite();
    }

    private void Rewrite()
    {
        var temp = _path + ".tmp";
        var text = new StringBuilder(_lines.Count * 120);
        foreach (var (txId, changes, committed) in _lines)
            text.Append("{\"tx_id\": \"").Append(txId).Append("\", \"changes\": ").Append(changes)
                .Append(", \"timestamp\": 1771718400.25, \"committed\": ").Append(committed ? "true" : "false").Append("}\n");
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            file.Write(Encoding.UTF8.GetBytes(text.ToString()));
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, _path, overwrite: true);
        FsyncDirectory(_directory);
    }

    /// <summary>fsync of the directory makes the rename durable (.NET cannot open a directory, hence libc).</summary>
    private static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
            throw new IOException($"open({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"fsync({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
