using AkkaWal.Benchmarks;
using AkkaWal.Benchmarks.Journal;

namespace AkkaWal.Benchmarks.Tests;

/// <summary>The journal report shows what each cell cost the process per event, and judges the CPU target on it.</summary>
public sealed class JournalCostReportTests
{
    [Fact]
    public void The_markdown_has_cpu_bytes_and_gc_share_per_event_and_the_cpu_verdict()
    {
        var hundred = JournalBenchmarkReport.Concurrent(100);
        string[] workloads = [hundred];
        // 10,000 events: AkkaWal 0.1 s of CPU (10 µs/event), 20 MB (2,000 B/event), 5 ms of 0.5 s paused (1 %).
        var report = new JournalBenchmarkReport(JournalBenchmarkPlan.Quick, MachineInfo.Describe(Path.GetTempPath()), DateTime.UtcNow,
            TimeSpan.FromSeconds(1), 1.0, 1.0, "sqlite", workloads,
            [
                new JournalCell(hundred, JournalKind.AkkaWal, 10_000, [0.5], [new CellCost(0.5, 0.1, 20_000_000, 0.005)]),
                new JournalCell(hundred, JournalKind.InMemory, 10_000, [0.25], [new CellCost(0.25, 0.05, 10_000_000, 0.05)]),
            ],
            [], null, new Dictionary<string, IReadOnlyList<WalSyncSample>>());

        var markdown = JournalBenchmarkMarkdown.Render(report);

        Assert.Contains("| 100 actors Persist | 10.0 / 2,000 / 1.0 |", markdown);
        Assert.Contains(" 5.0 / 1,000 / 20.0 |", markdown);
        var cpu = JournalTargets.Evaluate(report).Single(v => v.Target.Contains("CPU"));
        Assert.False(cpu.Met); // 2.00x the in-memory journal's CPU per event is over 1.5x
        Assert.StartsWith("2.00x", cpu.Measured);
    }
}
