using System.Runtime.InteropServices;

namespace AkkaWal.Persistence;

/// <summary>
/// fsync of a directory, so a file created, renamed or deleted in it survives a crash. .NET cannot open a directory
/// handle, hence open(O_RDONLY|O_DIRECTORY) + fsync + close through libc. (Windows has no equivalent; it is a no-op there.)
/// </summary>
internal static partial class DirectorySync
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux value of O_DIRECTORY (x86-64 and arm64)

    public static void Fsync(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var flags = OperatingSystem.IsLinux() ? ORdOnly | ODirectory : ORdOnly;
        var fd = Open(directory, flags);
        if (fd < 0) throw new IOException($"open({directory}) for directory fsync failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (FsyncFd(fd) != 0)
                throw new IOException($"fsync of directory {directory} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncFd(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
