using System.Diagnostics;
using AkkaWal.Benchmarks;

namespace AkkaWal.Benchmarks.Tests;

/// <summary>The benchmark's measuring code on tiny sizes (benchmark figures themselves are not tested).</summary>
public sealed class BenchmarkHarnessTests : IDisposable
{
    private readonly TempDirectory _dir = new("akkawal-benchtest-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Nearest_rank_percentiles_of_sorted_samples()
    {
        long[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5, LatencyPercentiles.NearestRank(sorted, 50));
        Assert.Equal(10, LatencyPercentiles.NearestRank(sorted, 99));
        Assert.Equal(1, LatencyPercentiles.NearestRank(sorted, 0));
        Assert.Equal(0, LatencyPercentiles.NearestRank([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyPercentiles.NearestRank(sorted, 101));
    }

    [Fact]
    public void Summarize_merges_the_writers_before_sorting()
    {
        var tick = Stopwatch.Frequency / 1_000_000.0; // ticks per microsecond
        var (p50, p99) = LatencyPercentiles.Summarize([[(long)(3 * tick), (long)(1 * tick)], [(long)(2 * tick), (long)(100 * tick)]]);
        Assert.Equal(2, p50, precision: 0);
        Assert.Equal(100, p99, precision: 0);
    }

    [Fact]
    public void Spread_gives_median_and_range()
    {
        var odd = Spread.Of([3.0, 1.0, 2.0]);
        Assert.Equal((2.0, 1.0, 3.0, 3), (odd.Median, odd.Min, odd.Max, odd.Runs));
        Assert.Equal(2.5, Spread.Of([1.0, 2.0, 3.0, 4.0]).Median);
        Assert.Equal(50, Spread.Of([1.0, 2.0, 3.0]).RelativeHalfRangePercent, precision: 6);
    }

    [Fact]
    public async Task Raw_loop_counts_whole_syncs_and_never_grows_its_file()
    {
        var path = Path.Combine(_dir.Path, "raw.dat");
        var result = await RawSyncLoop.RunAsync(path, recordSize: 100, recordsPerSync: 10, TimeSpan.Zero, TimeSpan.FromMilliseconds(300),
            fileSize: 4096);
        Assert.Equal(0, result.Operations % 10);
        Assert.True(result.P99Micros >= result.P50Micros);
        Assert.Equal(4096, new FileInfo(path).Length); // wrapped around instead of growing
    }

    [Fact]
    public async Task Concurrent_writers_count_only_acknowledgements_inside_the_window_and_stop_when_it_closes()
    {
        var target = new CountingTarget();
        var result = await ConcurrentWriters.RunAsync(target, writers: 4, recordSize: 100, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));
        var appendsAtReturn = target.Appends;
        Assert.Equal(4, result.Writers);
        Assert.True(result.Operations <= appendsAtReturn);
        Assert.True(result.P99Micros >= result.P50Micros);
        Assert.All(target.RecordSizes, size => Assert.Equal(100, size));
        await Task.Delay(50);
        Assert.Equal(appendsAtReturn, target.Appends); // no writer is left running
    }

    [Fact]
    public async Task Fasterlog_peer_acknowledges_only_committed_records()
    {
        var dir = Path.Combine(_dir.Path, "faster");
        await using (var target = FasterLogTarget.Open(dir))
        {
            for (var i = 0; i < 10; i++) await target.AppendAsync(new byte[] { (byte)i }, CancellationToken.None);
        }
        // A fresh FasterLog on the same files recovers from its last commit: every acknowledged record is there.
        using var device = FASTER.core.Devices.CreateLogDevice(Path.Combine(dir, "hlog.log"));
        using var log = new FASTER.core.FasterLog(new FASTER.core.FasterLogSettings { LogDevice = device, LogCommitDir = Path.Combine(dir, "commits") });
        using var iterator = log.Scan(log.BeginAddress, log.CommittedUntilAddress);
        var seen = new List<byte>();
        while (iterator.GetNext(out var entry, out _, out _)) seen.Add(entry[0]);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), seen);
    }

    /// <summary>A target that acknowledges at once (after a yield), so only the harness itself is measured.</summary>
    private sealed class CountingTarget : IAppendTarget
    {
        private long _appends;
        public long Appends => Interlocked.Read(ref _appends);
        public System.Collections.Concurrent.ConcurrentBag<int> RecordSizes { get; } = [];
        public string System => "counting";

        public async ValueTask AppendAsync(ReadOnlyMemory<byte> record, CancellationToken ct)
        {
            RecordSizes.Add(record.Length);
            Interlocked.Increment(ref _appends);
            await Task.Yield();
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Restart_scaling_times_restarts_with_a_checkpoint_after_a_crash_past_it_and_with_a_full_rebuild()
    {
        var result = await AkkaWal.Benchmarks.Journal.RestartScaling.RunAsync(1_000, 300, Path.Combine(_dir.Path, "restart"), CancellationToken.None);
        Assert.Equal(1_000, result.Events);
        Assert.Equal(300, result.EventsSinceCheckpoint);
        Assert.True(result.LogBytes > 1_300 * 30, $"log of {result.LogBytes} bytes is too small for 1,300 events");
        foreach (var t in new[] { result.WithCheckpoint, result.AfterCrash, result.FullRebuild })
            Assert.True(t.Millis > 0 && t.CpuMillis >= 0 && t.AllocatedMegabytes > 0);
        Assert.True(result.EngineOpenMillis > 0);
    }
}
