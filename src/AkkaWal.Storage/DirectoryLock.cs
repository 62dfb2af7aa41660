using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AkkaWal.Storage;

/// <summary>The one-owner lock: flock(LOCK_EX|LOCK_NB) on &lt;dir&gt;/LOCK, with the owner's pid written inside.
/// flock locks belong to the open file description, so a second open in the same process conflicts too.</summary>
public sealed class DirectoryLock : IDisposable
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

    /// <summary>The pid of the process holding the lock, or null if the directory is not locked (for tools).</summary>
    public static int? FindOwner(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var l = Acquire(directory);
            return null;
        }
        catch (WalLockedException e)
        {
            return e.OwnerProcessId ?? -1;
        }
    }

    private static int? ReadOwner(SafeFileHandle handle)
    {
        Span<byte> buf = stackalloc byte[32];
        int n = RandomAccess.Read(handle, buf, 0);
        return ParsePid(Encoding.ASCII.GetString(buf[..n]));
    }

    private static int? ParsePid(string? text) => int.TryParse(text?.Trim(), out int pid) ? pid : null;

    public void Dispose() => _handle.Dispose();
}
