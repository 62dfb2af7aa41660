using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AkkaWal.Storage;

/// <summary>The one-owner lock: flock(LOCK_EX|LOCK_NB) on &lt;dir&gt;/LOCK, with the owner's pid written inside.
/// flock locks belong to the open file description, so a second open in the same process conflicts too.</summary>
internal sealed class DirectoryLock : IDisposable
{
    public const string FileName = "LOCK";
    private readonly SafeFileHandle _handle;

    private DirectoryLock(string directory, SafeFileHandle handle)
    {
        Directory = directory;
        _handle = handle;
    }

    public string Directory { get; }

    /// <summary>Takes the lock or throws <see cref="WalLockedException"/> naming the directory and owner pid.</summary>
    public static DirectoryLock Acquire(string directory)
    {
        string path = Path.Combine(directory, FileName);
        SafeFileHandle handle;
        try
        {
            // FileShare.ReadWrite makes .NET take only a shared flock, which the LOCK_EX below upgrades;
            // another opener's shared flock then fails, which is also "locked".
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            // .NET's own shared flock failed: someone holds LOCK_EX.
            throw new WalLockedException(directory, ParsePid(DataSync.ReadSmallFileUnlocked(path)), e);
        }
        bool ok;
        try { ok = DataSync.TryLockExclusive(handle); }
        catch { handle.Dispose(); throw; }
        if (!ok)
        {
            int? owner = ReadOwner(handle);
            handle.Dispose();
            throw new WalLockedException(directory, owner);
        }
        var pid = Encoding.ASCII.GetBytes(Environment.ProcessId + "\n");
        RandomAccess.SetLength(handle, 0);
        RandomAccess.Write(handle, pid, 0);
        return new DirectoryLock(directory, handle);
    }

    /// <summary>The pid of the process that has the log open, or null. Read-only and lock-free (tools use it while a
    /// log may be open): it reads the pid the owner wrote into LOCK (cleared on close) and checks the process is alive.</summary>
    public static int? FindOwner(string directory)
    {
        int? pid = ParsePid(DataSync.ReadSmallFileUnlocked(Path.Combine(directory, FileName)));
        if (pid is not { } p) return null;
        try
        {
            using var proc = System.Diagnostics.Process.GetProcessById(p);
            return proc.HasExited ? null : p;
        }
        catch (ArgumentException)
        {
            return null; // crashed owner: the kernel released its flock
        }
    }

    private static int? ReadOwner(SafeFileHandle handle)
    {
        Span<byte> buf = stackalloc byte[32];
        int n = RandomAccess.Read(handle, buf, 0);
        return ParsePid(Encoding.ASCII.GetString(buf[..n]));
    }

    private static int? ParsePid(string? text) => int.TryParse(text?.Trim(), out int pid) ? pid : null;

    public void Dispose()
    {
        if (_handle.IsClosed) return;
        try { RandomAccess.SetLength(_handle, 0); } catch (IOException) { /* only a hint for tools */ }
        _handle.Dispose();
    }
}
