namespace AkkaWal.Storage;

/// <summary>How <see cref="IWalFileSystem.OpenFile"/> opens a file.</summary>
public enum WalFileOpen
{
    /// <summary>Existing file, read only.</summary>
    ReadOnly,
    /// <summary>Existing file, read and write.</summary>
    ReadWrite,
    /// <summary>New file (fails if it exists), read and write.</summary>
    CreateNew,
}

/// <summary>The engine's only door to the file system: tests swap it for a fault-injecting one.</summary>
public interface IWalFileSystem
{
    /// <summary>Opens <paramref name="path"/> as <paramref name="mode"/> says.</summary>
    IWalFile OpenFile(string path, WalFileOpen mode);
    /// <summary>True when a file exists at <paramref name="path"/>.</summary>
    bool FileExists(string path);
    /// <summary>File names (not paths) in a directory.</summary>
    IReadOnlyList<string> ListFiles(string directory);
    /// <summary>Creates <paramref name="directory"/> and missing parents (not fsynced: the caller syncs the parents).</summary>
    void CreateDirectory(string directory);
    /// <summary>rename(2): atomically replaces <paramref name="destination"/> (same directory).</summary>
    void Rename(string source, string destination);
    /// <summary>Deletes the file at <paramref name="path"/> (durable after <see cref="SyncDirectory"/>).</summary>
    void Delete(string path);
    /// <summary>fsync of the directory itself, so creates, renames and deletes in it are durable.</summary>
    void SyncDirectory(string directory);
}

/// <summary>An open file with positional I/O.</summary>
public interface IWalFile : IDisposable
{
    /// <summary>The file's path.</summary>
    string Path { get; }
    /// <summary>The file's current size in bytes.</summary>
    long Length { get; }
    /// <summary>Reads at <paramref name="offset"/>; returns fewer bytes only at end of file.</summary>
    int Read(long offset, Span<byte> buffer);
    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>.</summary>
    void Write(long offset, ReadOnlySpan<byte> data);
    /// <summary>fdatasync: data and the metadata needed to read it back are durable.</summary>
    void FlushData();
    /// <summary>Allocates disk space up to <paramref name="length"/> and sets the size (fallocate).</summary>
    void Preallocate(long length);
    /// <summary>Sets the size; growing leaves a hole (sparse).</summary>
    void SetLength(long length);
}
