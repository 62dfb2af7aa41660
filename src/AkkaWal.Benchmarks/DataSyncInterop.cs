using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AkkaWal.Benchmarks;

/// <summary>fdatasync(2) for the raw baseline: .NET only offers fsync (RandomAccess.FlushToDisk).</summary>
internal static partial class DataSyncInterop
{
    public static void FlushData(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(handle);
            return;
        }
        if (fdatasync(handle) != 0)
            throw new IOException($"fdatasync failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(SafeFileHandle fd);
}
