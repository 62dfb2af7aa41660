using AkkaWal.Storage;

namespace AkkaWal.Persistence;

/// <summary>
/// Creates a directory (and any missing parent) so that it survives a power cut: after creating, each new
/// directory's parent is fsynced, or the first acknowledged write could vanish with the directory entry above it.
/// </summary>
internal static class DurableDirectory
{
    public static void Create(string directory, IWalFileSystem? fileSystem = null)
    {
        var fs = fileSystem ?? PhysicalFileSystem.Instance;
        var missing = new Stack<string>();
        for (var d = Path.GetFullPath(directory); !string.IsNullOrEmpty(d) && !Directory.Exists(d); d = Path.GetDirectoryName(d))
            missing.Push(d);
        if (missing.Count == 0) return;
        fs.CreateDirectory(directory);
        // Outermost first: each new entry becomes durable in a parent that is itself already durable.
        foreach (var created in missing) fs.SyncDirectory(Path.GetDirectoryName(created)!);
    }
}
