using System.Globalization;
using System.Runtime.InteropServices;

namespace AkkaWal.Cli.Commands;

/// <summary>
/// Finds the live process that owns a log directory without touching the lock: the engine holds flock(LOCK_EX) on
/// DIR/LOCK, and Linux lists every held flock with its pid and inode in /proc/locks. Taking or testing the lock
/// ourselves would, for an instant, make a starting owner fail to open; reading /proc/locks cannot.
/// </summary>
internal static partial class LogOwnerProbe
{
    public const string LockFileName = "LOCK"; // AkkaWal.Storage.DirectoryLock.FileName

    /// <summary>What is known about the owner of a log directory.</summary>
    /// <param name="Known">False when this platform gives no passive way to tell (then Pid is null as well).</param>
    public readonly record struct Owner(bool Known, int? Pid)
    {
        public bool IsLive => Pid is not null;
    }

    public static Owner Find(string directory)
    {
        var lockFile = Path.Combine(directory, LockFileName);
        if (!File.Exists(lockFile)) return new Owner(Known: true, Pid: null);
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/locks")) return new Owner(Known: false, Pid: null);
        ulong inode;
        try
        {
            if (!TryInode(lockFile, out inode)) return new Owner(Known: false, Pid: null);
        }
        catch (EntryPointNotFoundException) { return new Owner(Known: false, Pid: null); }
        catch (DllNotFoundException) { return new Owner(Known: false, Pid: null); }

        foreach (var line in File.ReadLines("/proc/locks"))
        {
            // "1: FLOCK  ADVISORY  WRITE 2946 fd:01:1234567 0 EOF" (blocked waiters carry an extra "->")
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t != "->").ToArray();
            if (f.Length < 6 || f[1] != "FLOCK" || f[3] != "WRITE") continue;
            var dev = f[5].Split(':');
            if (dev.Length == 3 && ulong.TryParse(dev[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ino) && ino == inode
                && int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                return new Owner(Known: true, Pid: pid);
        }
        return new Owner(Known: true, Pid: null);
    }

    /// <summary>stat(2) st_ino: at byte 8 of struct stat on both x86_64 and aarch64 glibc.</summary>
    private static bool TryInode(string path, out ulong inode)
    {
        Span<byte> buf = stackalloc byte[256];
        inode = 0;
        if (stat(path, ref MemoryMarshal.GetReference(buf)) != 0) return false;
        inode = BitConverter.ToUInt64(buf[8..16]);
        return true;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int stat(string path, ref byte buf);
}
