namespace AkkaWal.Storage.Tests;

/// <summary>Issue 8 item 6: the log directory (and any parent created with it) survives a power cut right after the
/// first acknowledged write.</summary>
public class DirectoryCreationTests
{
    [Fact]
    public async Task A_power_cut_after_the_first_acknowledged_write_keeps_a_newly_created_directory_and_its_parents()
    {
        using var root = new TempDirectory();
        string dir = Path.Combine(root.Path, "new-parent", "deeper", "journal");
        var fs = new FaultInjectingFileSystem();
        long pos;
        await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir, fs: fs)))
        {
            pos = await wal.AppendAsync(Payloads.For(7));
            fs.PowerCut();
        }
        Assert.True(Directory.Exists(dir), "the directory entry of an acknowledged log was lost");
        await using var reopened = WriteAheadLog.Open(LogBuilder.Small(dir));
        Assert.Equal(7, Payloads.IdOf(reopened.ReadAt(pos).Payload.Span));
    }

    [Fact]
    public void The_fault_injecting_file_system_drops_a_directory_whose_parent_was_never_synced()
    {
        using var root = new TempDirectory();
        string dir = Path.Combine(root.Path, "a", "b");
        var fs = new FaultInjectingFileSystem();
        fs.CreateDirectory(dir);
        fs.SyncDirectory(root.Path); // "a" is durable, "b" is not
        fs.PowerCut();
        Assert.True(Directory.Exists(Path.Combine(root.Path, "a")));
        Assert.False(Directory.Exists(dir));
    }
}
