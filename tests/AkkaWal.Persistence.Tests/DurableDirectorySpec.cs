using AkkaWal.Storage;

namespace AkkaWal.Persistence.Tests;

/// <summary>A plugin directory created on first start is durable: the parent of every directory created is fsynced
/// (the plugin uses the engine's one helper for it).</summary>
public sealed class DurableDirectorySpec : IDisposable
{
    private readonly TempDirectory _data = new();

    private string Root => _data.Path;

    public void Dispose() => _data.Dispose();

    private static List<string> SyncedDirectories(FaultInjectingFileSystem fs)
    {
        var synced = new List<string>();
        fs.OnOperation = (op, path) => { if (op == FaultOperation.SyncDirectory) synced.Add(path); };
        return synced;
    }

    [Fact]
    public void Creating_a_directory_and_its_missing_parents_fsyncs_each_parent_outermost_first()
    {
        var fs = new FaultInjectingFileSystem();
        var synced = SyncedDirectories(fs);
        var target = Path.Combine(Root, "a", "b", "snapshots");

        DurableDirectory.Create(fs, target);

        Assert.True(Directory.Exists(target));
        Assert.Equal(new[] { Root, Path.Combine(Root, "a"), Path.Combine(Root, "a", "b") }, synced);
    }

    [Fact]
    public void An_existing_directory_has_only_its_parent_synced_again()
    {
        // An earlier process may have created it and died before syncing its parent.
        var fs = new FaultInjectingFileSystem();
        var synced = SyncedDirectories(fs);
        DurableDirectory.Create(fs, Root);
        Assert.Equal(new[] { Path.GetDirectoryName(Root) }, synced);
    }

    [Fact]
    public void A_failed_parent_fsync_fails_the_creation()
    {
        var fs = new FaultInjectingFileSystem();
        fs.InjectFault(FaultOperation.SyncDirectory, 1, FaultInjectingFileSystem.EIO);
        Assert.ThrowsAny<IOException>(() => DurableDirectory.Create(fs, Path.Combine(Root, "new")));
    }
}
