using System.Diagnostics;
using AkkaWal.Benchmarks.Engine;

namespace AkkaWal.Benchmarks;

/// <summary>
/// The engine benchmark of issue 2: raw write+fdatasync, FasterLog and AkkaWal side by side in one run on one disk,
/// then append cost with history and the open-time scan rate; each repeated <see cref="BenchmarkPlan.Repeats"/> times.
/// </summary>
public sealed class EngineBenchmark
{
    private readonly BenchmarkPlan _plan;
    private readonly string _root;
    private readonly bool _keepLogs;
    private readonly IProgress<BenchmarkProgress>? _progress;
    private int _completed;

    /// <param name="root">Directory the logs go to (created if missing). It must be empty or absent.</param>
    /// <param name="keepLogs">Keep the AkkaWal logs for verify/dump/stats; otherwise every log is deleted once measured.</param>
    public EngineBenchmark(BenchmarkPlan plan, string root, bool keepLogs, IProgress<BenchmarkProgress>? progress = null)
    {
        plan.Validate();
        _plan = plan;
        _root = Path.GetFullPath(root);
        _keepLogs = keepLogs;
        _progress = progress;
    }

    public async Task<BenchmarkReport> RunAsync(CancellationToken ct = default)
    {
        if (Directory.Exists(_root) && Directory.EnumerateFileSystemEntries(_root).Any())
            throw new IOException($"benchmark directory {_root} is not empty; give an empty or new directory");
        Directory.CreateDirectory(_root);
        var started = Stopwatch.GetTimestamp();
        var report = new BenchmarkReport
        {
            Plan = _plan, Machine = MachineInfo.Describe(_root), Directory = _root, LoadAtStart = MachineInfo.LoadAverage(),
        };

        var historyDir = Path.Combine(_root, "akkawal-history");
        if (_plan.HistoryBytes > 0)
        {
            var what = $"writing {_plan.HistoryBytes / (double)(1L << 30):0.###} GiB of history";
            Step(what);
            await LogFiller.FillAsync(historyDir, _plan.RecordSize, LogFiller.RecordsFor(_plan.HistoryBytes, _plan.RecordSize), Within(what), ct);
        }
        var scanDir = Path.Combine(_root, "akkawal-openscan");
        var scanWhat = $"writing {_plan.OpenScanRecords:N0} records for the open scan";
        Step(scanWhat);
        await LogFiller.FillAsync(scanDir, _plan.RecordSize, _plan.OpenScanRecords, Within(scanWhat), ct);
        OpenScan.Measure(scanDir); // unmeasured first open: JIT of the recovery path, and a check that the log opens

        for (var run = 1; run <= _plan.Repeats; run++)
        {
            // Each raw baseline runs right before the cells it is compared with (1 writer; 64 writers), so a change
            // in background disk load on a shared machine hits both sides of a target alike.
            await RawAsync(report, 1, run, ct);
            var batchBaselineBefore = _plan.WriterCounts.Contains(64) ? 64 : _plan.WriterCounts[^1];
            foreach (var writers in _plan.WriterCounts)
            {
                if (writers == batchBaselineBefore) await RawAsync(report, _plan.RawBatchRecords, run, ct);
                await CellAsync(report, run, $"fasterlog-w{writers}-r{run}", FasterLogTarget.Open, writers, keep: false, ct);
                await CellAsync(report, run, $"akkawal-w{writers}-r{run}", AkkaWalTarget.Open, writers, keep: _keepLogs, ct);
            }
            if (_plan.HistoryBytes > 0) await HistoryAsync(report, historyDir, run, ct);

            Step($"run {run}: open-time scan of {_plan.OpenScanRecords:N0} records");
            report.OpenScans.Add(OpenScan.Measure(scanDir));
        }

        if (!_keepLogs)
        {
            DeleteQuietly(historyDir);
            DeleteQuietly(scanDir);
        }
        report.Elapsed = Stopwatch.GetElapsedTime(started);
        report.LoadAtEnd = MachineInfo.LoadAverage();
        _progress?.Report(new BenchmarkProgress(_completed, _plan.StepCount, "done"));
        return report;
    }

    private async Task RawAsync(BenchmarkReport report, int perSync, int run, CancellationToken ct)
    {
        Step($"run {run}: {Systems.RawSync(perSync)}");
        var dir = Path.Combine(_root, $"raw-{perSync}-r{run}");
        Directory.CreateDirectory(dir);
        try
        {
            report.Cells.Add(await RawSyncLoop.RunAsync(Path.Combine(dir, "raw.dat"), _plan.RecordSize, perSync, _plan.Warmup, _plan.Measure, ct: ct));
        }
        finally
        {
            DeleteQuietly(dir); // not a log: nothing for verify/dump/stats to look at
        }
    }

    private async Task CellAsync(BenchmarkReport report, int run, string name, Func<string, IAppendTarget> open, int writers, bool keep,
        CancellationToken ct)
    {
        var dir = Path.Combine(_root, name);
        var target = open(dir);
        Step($"run {run}: {target.System}, {writers} writer(s)");
        try
        {
            report.Cells.Add(await ConcurrentWriters.RunAsync(target, writers, _plan.RecordSize, _plan.Warmup, _plan.Measure, ct));
        }
        finally
        {
            await target.DisposeAsync();
            if (!keep) DeleteQuietly(dir);
        }
    }

    /// <summary>1 and 64 writers on a fresh log and on the history log; the ratio of the rates is the cost of history.
    /// Odd runs measure the empty log first, even runs the history log first, so a drift in background load cancels out.</summary>
    private async Task HistoryAsync(BenchmarkReport report, string historyDir, int run, CancellationToken ct)
    {
        foreach (var writers in new[] { 1, 64 })
        {
            Step($"run {run}: append with and without history, {writers} writer(s)");
            var emptyDir = Path.Combine(_root, $"akkawal-empty-w{writers}-r{run}");
            CellResult? empty = null, withHistory = null;
            foreach (var historyNow in run % 2 == 1 ? new[] { false, true } : [true, false])
            {
                await using var target = AkkaWalTarget.Open(historyNow ? historyDir : emptyDir);
                var cell = await ConcurrentWriters.RunAsync(target, writers, _plan.RecordSize, _plan.Warmup, _plan.Measure, ct);
                if (historyNow) withHistory = cell;
                else empty = cell;
            }
            DeleteQuietly(emptyDir);
            report.History.Add(new HistoryCostResult(writers, _plan.HistoryBytes, empty!, withHistory!));
        }
    }

    /// <summary>Progress inside a long step, shown as a percentage in the step's description (every 5%).</summary>
    private IProgress<double>? Within(string description)
    {
        if (_progress is null) return null;
        var shown = -1;
        return new InlineProgress(fraction =>
        {
            var percent = (int)(fraction * 100) / 5 * 5;
            if (percent == shown) return;
            shown = percent;
            _progress.Report(new BenchmarkProgress(_completed - 1, _plan.StepCount, $"{description} ({percent}%)"));
        });
    }

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; would post to the pool).</summary>
    private sealed class InlineProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    private void Step(string description) =>
        _progress?.Report(new BenchmarkProgress(_completed++, _plan.StepCount, description));

    private static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException) { /* a leftover temp file is harmless; the caller's temp root is removed as a whole */ }
        catch (UnauthorizedAccessException) { }
    }
}
