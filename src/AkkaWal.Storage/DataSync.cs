using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AkkaWal.Storage;

/// <summary>The durability system calls .NET does not expose: fdatasync, directory fsync, fallocate (libc P/Invoke).</summary>
internal static class DataSync
{
    private const int O_RDONLY = 0;
    private const int O_CLOEXEC = 0x80000;
    private const int EINTR = 4;

    /// <summary>fdatasync(2) on Linux (fsync elsewhere). Throws <see cref="IOException"/> whose HResult is the errno.</summary>
    public static void FlushData(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows())
        {
            RandomAccess.FlushToDisk(handle); // FlushFileBuffers; there is no fdatasync there
            return;
        }
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            int rc;
            do rc = OperatingSystem.IsLinux() ? Native.fdatasync(fd) : Native.fsync(fd);
            while (rc != 0 && Marshal.GetLastPInvokeError() == EINTR);
            if (rc != 0) throw ErrnoException(Marshal.GetLastPInvokeError(), "fdatasync");
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>fsync of a directory so entries created, renamed or deleted in it survive a power cut.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return; // NTFS journals directory entries; there is no directory handle to flush.
        int fd = Native.open(directory, O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0) throw ErrnoException(Marshal.GetLastPInvokeError(), $"open directory '{directory}'");
        try
        {
            int rc;
            do rc = Native.fsync(fd);
            while (rc != 0 && Marshal.GetLastPInvokeError() == EINTR);
            if (rc != 0) throw ErrnoException(Marshal.GetLastPInvokeError(), $"fsync directory '{directory}'");
        }
        finally
        {
            Native.close(fd);
        }
    }

    /// <summary>fallocate(2) mode 0 (allocates and sets the size). Returns false when the file system does not support it.</summary>
    public static bool TryAllocate(SafeFileHandle handle, long length)
    {
        if (!OperatingSystem.IsLinux()) return false;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            int rc;
            do rc = Native.fallocate(fd, 0, 0, length);
            while (rc != 0 && Marshal.GetLastPInvokeError() == EINTR);
            if (rc == 0) return true;
            int errno = Marshal.GetLastPInvokeError();
            if (errno is 95 /*EOPNOTSUPP*/ or 38 /*ENOSYS*/) return false;
            throw ErrnoException(errno, "fallocate");
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Takes flock(LOCK_EX|LOCK_NB); false if another open file description holds it.</summary>
    internal static bool TryLockExclusive(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows()) return true; // FileShare.None already excludes others there.
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            int rc;
            do rc = Native.flock(fd, 2 /*LOCK_EX*/ | 4 /*LOCK_NB*/);
            while (rc != 0 && Marshal.GetLastPInvokeError() == EINTR);
            if (rc == 0) return true;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == 11 /*EWOULDBLOCK*/) return false;
            throw ErrnoException(errno, "flock");
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Reads the start of a file with plain open/read, bypassing .NET's advisory flock (used to read a held LOCK file).</summary>
    internal static unsafe string? ReadSmallFileUnlocked(string path, int max = 64)
    {
        if (OperatingSystem.IsWindows()) return null;
        int fd = Native.open(path, O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0) return null;
        try
        {
            byte* buf = stackalloc byte[max];
            nint n = Native.read(fd, buf, max);
            return n <= 0 ? null : System.Text.Encoding.ASCII.GetString(buf, (int)n);
        }
        finally
        {
            Native.close(fd);
        }
    }

    /// <summary>An IOException carrying the errno in HResult (28 = ENOSPC, 5 = EIO), as .NET itself does on Unix.</summary>
    public static IOException ErrnoException(int errno, string operation)
        => new($"{operation} failed: {new Win32Exception(errno).Message} (errno {errno})", errno);

    private static class Native
    {
        [DllImport("libc", SetLastError = true)] public static extern int fdatasync(int fd);
        [DllImport("libc", SetLastError = true)] public static extern int fsync(int fd);
        [DllImport("libc", SetLastError = true)] public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
        [DllImport("libc", SetLastError = true)] public static extern int close(int fd);
        [DllImport("libc", SetLastError = true)] public static extern int fallocate(int fd, int mode, long offset, long len);
        [DllImport("libc", SetLastError = true)] public static extern int flock(int fd, int operation);
        [DllImport("libc", SetLastError = true)] public static extern unsafe nint read(int fd, byte* buf, nint count);
    }
}
