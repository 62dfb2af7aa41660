using Microsoft.Win32.SafeHandles;

namespace AkkaWal.Storage;

/// <summary>The real file system: RandomAccess positional I/O on SafeFileHandles, libc for the sync calls.</summary>
public sealed class PhysicalFileSystem : IWalFileSystem
{
    /// <summary>The one instance (it holds no state).</summary>
    public static PhysicalFileSystem Instance { get; } = new();

    private PhysicalFileSystem() { }

    /// <inheritdoc/>
    public IWalFile OpenFile(string path, WalFileOpen mode)
    {
        var handle = mode switch
        {
            WalFileOpen.ReadOnly => File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete),
            WalFileOpen.ReadWrite => File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete),
            WalFileOpen.CreateNew => File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
        return new PhysicalFile(path, handle);
    }

    /// <inheritdoc/>
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc/>
    public IReadOnlyList<string> ListFiles(string directory)
    {
        var names = new List<string>();
        foreach (var p in System.IO.Directory.EnumerateFiles(directory))
            names.Add(System.IO.Path.GetFileName(p));
        return names;
    }

    /// <inheritdoc/>
    public void CreateDirectory(string directory) => System.IO.Directory.CreateDirectory(directory);

    /// <inheritdoc/>
    public void Rename(string source, string destination) => File.Move(source, destination, overwrite: true);

    /// <inheritdoc/>
    public void Delete(string path) => File.Delete(path);

    /// <inheritdoc/>
    public void SyncDirectory(string directory) => DataSync.SyncDirectory(directory);

    private sealed class PhysicalFile(string path, SafeFileHandle handle) : IWalFile
    {
        public string Path { get; } = path;
        public SafeFileHandle Handle { get; } = handle;
        public long Length => RandomAccess.GetLength(Handle);

        public int Read(long offset, Span<byte> buffer)
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int n = RandomAccess.Read(Handle, buffer[total..], offset + total);
                if (n == 0) break;
                total += n;
            }
            return total;
        }

        public void Write(long offset, ReadOnlySpan<byte> data) => RandomAccess.Write(Handle, data, offset);
        public void FlushData() => DataSync.FlushData(Handle);

        public void Preallocate(long length)
        {
            if (!DataSync.TryAllocate(Handle, length)) RandomAccess.SetLength(Handle, length);
        }

        public void SetLength(long length) => RandomAccess.SetLength(Handle, length);
        public void Dispose() => Handle.Dispose();
    }
}
