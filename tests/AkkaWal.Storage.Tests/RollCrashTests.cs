namespace AkkaWal.Storage.Tests;

public class RollCrashTests
{
    [Fact]
    public async Task A_power_cut_at_each_step_of_a_roll_loses_no_acknowledged_record()
    {
        using var master = new TempDirectory();
        // 16 KiB segments hold 333 frames of 49 bytes: the appends below roll into the next segment and preallocate another.
        var initial = await LogBuilder.WriteAsync(LogBuilder.Small(master.Path), 325);
        int ops;
        using (var probe = new TempDirectory())
        {
            LogBuilder.CopyDirectory(master.Path, probe.Path);
            var fs = new FaultInjectingFileSystem();
            var wal = WriteAheadLog.Open(LogBuilder.Small(probe.Path, fs: fs));
            int start = fs.Count(FaultOperation.Any);
            for (int i = 0; i < 20; i++) await wal.AppendAsync(Payloads.For(1000 + i, 40));
            await wal.DisposeAsync();
            ops = fs.Count(FaultOperation.Any) - start;
            Assert.Equal(3, Directory.GetFiles(probe.Path, "*.wal").Length); // rolled once, next one preallocated
        }
        for (int k = 1; k <= ops; k++)
        {
            using var dir = new TempDirectory();
            LogBuilder.CopyDirectory(master.Path, dir.Path);
            var fs = new FaultInjectingFileSystem();
            var acked = new List<long>();
            await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path, fs: fs)))
            {
                fs.PowerCutAt(FaultOperation.Any, k);
                try
                {
                    for (int i = 0; i < 20; i++)
                    {
                        await wal.AppendAsync(Payloads.For(1000 + i, 40));
                        acked.Add(1000 + i);
                    }
                }
                catch (WalFailedException) { }
            }
            await using (var wal = WriteAheadLog.Open(LogBuilder.Small(dir.Path)))
            {
                var ids = LogBuilder.Ids(wal);
                var expectedPrefix = Enumerable.Range(0, initial.Length).Select(i => (long)i).Concat(acked).ToList();
                Assert.Equal(expectedPrefix, ids.Take(expectedPrefix.Count));
                Assert.Equal(ids.Distinct().Count(), ids.Count);
                await wal.AppendAsync(Payloads.For(5000, 40)); // and it takes writes again
            }
            Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp")); // after close: no preallocation in flight
        }
    }
}
