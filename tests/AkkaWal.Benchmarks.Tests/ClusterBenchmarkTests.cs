using System.Diagnostics;
using AkkaWal.Benchmarks.Cluster;
using Xunit.Abstractions;

namespace AkkaWal.Benchmarks.Tests;

/// <summary>`transactions --cluster N`: its command line, and one smoke run on real processes (a PostgreSQL of its own,
/// `akkawal serve` nodes) that proves it measures every setup and shape without an error. Figures are not tested.</summary>
public sealed class ClusterBenchmarkTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("--cluster 0", "--cluster must be 1 to 5, was 0")]
    [InlineData("--cluster 6 --smoke", "--cluster must be 1 to 5, was 6")]
    [InlineData("--cluster 3 --repeat 0", "--repeat must be at least 1, was 0")]
    [InlineData("--cluster 3 --partitions 0", "--partitions must be at least 1")]
    [InlineData("--repeat 2", "--repeat applies to --cluster only")]
    [InlineData("--cluster 3 --dir /tmp", "--dir does not apply to --cluster")]
    public async Task Bad_cluster_arguments_are_usage_errors_before_anything_starts(string args, string message)
    {
        var (code, output, error) = await BenchmarkCli.RunAsync(["transactions", .. args.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Smoke_run_measures_every_setup_and_shape_over_http_without_errors()
    {
        // --cluster 1: local AkkaWal and one cluster-mode node on PostgreSQL (the 3-node cluster itself is the cluster
        // tests' subject); short enough for the test run.
        var clock = Stopwatch.StartNew();
        var (code, output, error) = await BenchmarkCli.RunAsync("transactions", "--cluster", "1", "--smoke");
        log.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s{Environment.NewLine}{error}{Environment.NewLine}{output}");
        Assert.Equal(0, code);
        foreach (var setup in new[] { "1 node, local AkkaWal", "1 node, PostgreSQL" })
            foreach (var shape in new[] { "single-partition", "two-partition" })
                Assert.Contains($"| {setup} | {shape} | 2 | ", output);
        Assert.DoesNotContain("errors.**", output); // the report lists errors only when there were some
        Assert.DoesNotContain("3 nodes", output);
    }

    [Fact]
    public void Process_tree_cpu_sees_this_process_and_counts_nothing_between_equal_snapshots()
    {
        var snapshot = ProcessTreeCpu.Snapshot([Environment.ProcessId]);
        Assert.True(snapshot.ContainsKey(Environment.ProcessId));
        Assert.Equal(TimeSpan.Zero, ProcessTreeCpu.Used(snapshot, snapshot));
        var later = new Dictionary<int, TimeSpan>(snapshot) { [Environment.ProcessId] = snapshot[Environment.ProcessId] + TimeSpan.FromSeconds(1), [-1] = TimeSpan.FromSeconds(2) };
        Assert.Equal(TimeSpan.FromSeconds(3), ProcessTreeCpu.Used(snapshot, later)); // a process that appeared counts whole
    }
}
