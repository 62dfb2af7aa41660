using System.Xml.Linq;
using AkkaWal.Benchmarks.Journal;
using AkkaWal.Benchmarks.Output;

namespace AkkaWal.Benchmarks.Tests;

/// <summary>--report writes SVG charts beside the Markdown (from small result objects: no benchmark runs here).</summary>
public sealed class ReportChartTests : IDisposable
{
    private readonly TempDirectory _dir = new("akkawal-charts-");
    private static readonly MachineInfo Machine = new(2, "test cpu", "ext4", "Linux", ".NET", OptimizedBuild: true);

    public void Dispose() => _dir.Dispose();

    private static XElement AssertSvg(string path)
    {
        Assert.True(File.Exists(path), path);
        var root = XDocument.Load(path).Root!;
        Assert.Equal("svg", root.Name.LocalName);
        return root;
    }

    [Fact]
    public void Engine_report_gets_appends_p99_and_restart_charts_beside_the_markdown()
    {
        var report = new BenchmarkReport { Plan = BenchmarkPlan.Quick, Machine = Machine, Directory = _dir.Path };
        foreach (var (system, writers, rate) in new[] { ("raw write+fdatasync", 1, 900.0), ("AkkaWal", 1, 800.0), ("AkkaWal", 16, 9000.0), ("FasterLog", 16, 7000.0) })
            report.Cells.Add(new CellResult(system, writers, (long)rate, 1.0, 1000, 2000));
        report.OpenScans.Add(new OpenScanResult(100_000_000, 1_000_000, 0.5, 0.4));

        var written = BenchReportCharts.Write(report, Path.Combine(_dir.Path, "engine.md"));

        Assert.Equal(["engine-appends.svg", "engine-p99.svg", "engine-restart.svg"], written.Select(Path.GetFileName));
        Assert.All(written, path => Assert.Equal(_dir.Path, Path.GetDirectoryName(path)));
        var appends = AssertSvg(written[0]);
        Assert.Contains("FasterLog", appends.ToString()); // every system is in the legend
        AssertSvg(written[1]);
        AssertSvg(written[2]);
    }

    [Fact]
    public void Journal_report_gets_events_and_restart_charts()
    {
        string[] workloads = ["1 actor Persist", "10 actors Persist"];
        var report = new JournalBenchmarkReport(JournalBenchmarkPlan.Quick, Machine, DateTime.UtcNow, TimeSpan.FromSeconds(1), 1.0, 1.0,
            "sqlite", workloads,
            [
                new JournalCell(workloads[0], JournalKind.AkkaWal, 1000, [0.5]),
                new JournalCell(workloads[1], JournalKind.AkkaWal, 1000, [0.2]),
                new JournalCell(workloads[0], JournalKind.InMemory, 1000, [0.01]),
            ],
            [], new BigLogResult(10, 1000, 5_000_000, 1.0, 100, 20, 30, [5.0]), new Dictionary<string, IReadOnlyList<WalSyncSample>>());

        var written = JournalBenchmarkCharts.Write(report, Path.Combine(_dir.Path, "journal.md"));

        Assert.Equal(["journal-events.svg", "journal-restart.svg"], written.Select(Path.GetFileName));
        Assert.Contains("in-memory journal", AssertSvg(written[0]).ToString());
        AssertSvg(written[1]);
    }
}
