namespace AkkaWal.Storage.Tests;

public class CrashTests
{
    private static readonly WalOptions Reader = new() { Directory = "", SegmentSize = 256 * 1024, MaxRecordSize = 4096, MaxGroupBytes = 64 * 1024 };

    [Fact]
    public void Kill_9_at_random_moments_loses_no_acknowledged_append()
    {
        using var dir = new TempDirectory();
        var rng = new Random(20261125);
        var ledger = new Dictionary<long, long>(); // position -> id, over all runs
        for (int round = 0; round < 25; round++)
        {
            List<string> lines;
            using (var child = ChildProcess.CrashHost("storage", dir.Path, "8"))
            {
                child.WaitForLines(l => l.StartsWith("ready"), 1);
                int acks = rng.Next(1, 400);
                child.WaitForLines(l => l.StartsWith("ack "), acks);
                if (rng.Next(2) == 0) Thread.Sleep(rng.Next(1, 30)); // kill between acks too, not only right after one
                child.Kill();
                child.WaitForExit();
                lines = child.Lines;
            }
            var acked = lines.Where(l => l.StartsWith("ack ")).Select(l => l.Split(' ')).Select(p => (Pos: long.Parse(p[1]), Id: long.Parse(p[2]))).ToList();
            Assert.NotEmpty(acked);
            foreach (var (pos, id) in acked) ledger.Add(pos, id);

            using var wal = WriteAheadLog.Open(new WalOptions { Directory = dir.Path, SegmentSize = Reader.SegmentSize, MaxRecordSize = Reader.MaxRecordSize, MaxGroupBytes = Reader.MaxGroupBytes });
            var all = wal.ReadFrom().Select(r => (r.Position, Id: BitConverter.ToInt64(r.Payload.Span[..8]))).ToList();
            Assert.Equal(all.Count, all.Select(r => r.Id).Distinct().Count());
            var byPos = all.ToDictionary(r => r.Position, r => r.Id);
            foreach (var (pos, id) in ledger)
            {
                Assert.True(byPos.TryGetValue(pos, out long found), $"round {round}: acknowledged id {id} at {pos} missing; {wal.Recovery}");
                Assert.Equal(id, found);
            }
            // Per writer, log order equals acknowledgement order.
            foreach (var g in all.GroupBy(r => r.Id / 10_000_000L))
                Assert.True(g.Select(r => r.Id).SequenceEqual(g.Select(r => r.Id).Order()), $"round {round}: writer {g.Key} out of order");
        }
    }

    [Fact]
    public void A_second_open_from_another_process_fails_naming_the_owner_and_a_killed_owner_releases_the_lock()
    {
        using var dir = new TempDirectory();
        var options = new WalOptions { Directory = dir.Path, SegmentSize = Reader.SegmentSize, MaxRecordSize = Reader.MaxRecordSize, MaxGroupBytes = Reader.MaxGroupBytes };
        using (var child = ChildProcess.CrashHost("storage", dir.Path, "1"))
        {
            child.WaitForLines(l => l.StartsWith("ready"), 1);
            var e = Assert.Throws<WalLockedException>(() => WriteAheadLog.Open(options));
            Assert.Equal(child.Id, e.OwnerProcessId);
            Assert.Contains(dir.Path, e.Message);
            Assert.Contains($"process {child.Id}", e.Message);
            child.Kill();
            child.WaitForExit();
        }
        using var wal = WriteAheadLog.Open(options);
        Assert.NotNull(wal);
    }
}
