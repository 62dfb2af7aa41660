namespace AkkaWal.Storage.Tests;

public class OptionsAndLockTests
{
    [Theory]
    [InlineData(nameof(WalOptions.SegmentSize))]
    [InlineData(nameof(WalOptions.MaxRecordSize))]
    [InlineData(nameof(WalOptions.MaxGroupBytes))]
    [InlineData(nameof(WalOptions.FsyncInterval))]
    [InlineData(nameof(WalOptions.Directory))]
    public void Validate_names_the_bad_property(string property)
    {
        var o = new WalOptions { Directory = "/tmp/x" };
        o = property switch
        {
            nameof(WalOptions.SegmentSize) => new WalOptions { Directory = "/tmp/x", SegmentSize = 100 },
            nameof(WalOptions.MaxRecordSize) => new WalOptions { Directory = "/tmp/x", MaxRecordSize = -1 },
            nameof(WalOptions.MaxGroupBytes) => new WalOptions { Directory = "/tmp/x", MaxGroupBytes = 10 },
            nameof(WalOptions.FsyncInterval) => new WalOptions { Directory = "/tmp/x", Durability = DurabilityMode.Interval, FsyncInterval = TimeSpan.Zero },
            _ => new WalOptions { Directory = " " },
        };
        var e = Assert.Throws<ArgumentException>(o.Validate);
        Assert.Equal(property, e.ParamName);
        Assert.Contains(property, e.Message);
        Assert.Throws<ArgumentException>(() => WriteAheadLog.Open(o));
    }

    [Fact]
    public void Segment_must_hold_one_maximum_record()
    {
        var e = Assert.Throws<ArgumentException>(new WalOptions { Directory = "/tmp/x", SegmentSize = 1 << 20, MaxRecordSize = 2 << 20 }.Validate);
        Assert.Contains("MaxRecordSize", e.Message);
    }

    [Fact]
    public void Second_open_in_the_same_process_fails_with_directory_and_pid()
    {
        using var dir = new TempDirectory();
        using (var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path }))
        {
            var e = Assert.Throws<WalLockedException>(() => WriteAheadLog.Open(new WalOptions { Directory = dir.Path }));
            Assert.Equal(dir.Path, e.Directory);
            Assert.Equal(Environment.ProcessId, e.OwnerProcessId);
            Assert.Contains(dir.Path, e.Message);
            Assert.Contains(Environment.ProcessId.ToString(), e.Message);
            Assert.Equal(Environment.ProcessId, DirectoryLock.FindOwner(dir.Path));
        }
        using (WriteAheadLog.Open(new WalOptions { Directory = dir.Path })) { } // released on dispose
        Assert.Null(DirectoryLock.FindOwner(dir.Path));
    }
}
