using System.Diagnostics;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>
/// The journal benchmark (not a test): AkkaWal (durability always), Akka.Persistence.Sql on a SQLite file and Akka's
/// in-memory journal side by side on the workloads of Akka's JournalPerfSpec, a raw write+fdatasync loop for the
/// 1-actor comparison, and the recovery of one actor among many in a large AkkaWal log. Each repeat runs every journal
/// in its own fresh ActorSystem and directory under <c>root</c>; the journal order rotates between repeats so
/// background load does not always hit the same one.
/// </summary>
public sealed class JournalBenchmark(JournalBenchmarkPlan plan, string root, IProgress<string>? progress = null)
{
    private static readonly PersistMode[] Modes = [PersistMode.Persist, PersistMode.PersistAll, PersistMode.PersistAsync, PersistMode.PersistAllAsync];

    private readonly Dictionary<(string Workload, JournalKind Kind), (int Events, List<double> Seconds, List<CellCost> Costs)> _cells = new();
    private readonly List<CellResult> _raw = new();
    private readonly Dictionary<string, List<WalSyncSample>> _walSyncs = new();

    public static IReadOnlyList<string> Workloads(JournalBenchmarkPlan plan) =>
        Modes.Select(JournalBenchmarkReport.Sequential)
            .Concat(plan.ActorCounts.Select(JournalBenchmarkReport.Concurrent))
            .Append(JournalBenchmarkReport.RecoveryWorkload)
            .ToArray();

    public async Task<JournalBenchmarkReport> RunAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(root);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadStart = MachineInfo.LoadAverage();
        var sqliteSettings = "";
        for (var repeat = 0; repeat < plan.Repeats; repeat++)
        {
            var journals = JournalBenchmarkPlan.Journals;
            for (var k = 0; k < journals.Count; k++)
            {
                var kind = journals[(k + repeat) % journals.Count];
                var directory = Path.Combine(root, $"repeat{repeat + 1}-{kind}");
                try
                {
                    if (kind == JournalKind.SqlSqlite) sqliteSettings = JournalUnderTest.PrepareSqlite(directory);
                    await RunJournalAsync(kind, directory, $"repeat {repeat + 1}/{plan.Repeats}", ct);
                }
                finally
                {
                    if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
                }
            }
        }

        BigLogResult? bigLog;
        var bigDirectory = Path.Combine(root, "big-log");
        try
        {
            progress?.Report($"AkkaWal: log of {plan.BigLogEvents:N0} events, recovery of one actor among {plan.BigLogActors:N0}");
            bigLog = await BigLogRecovery.RunAsync(plan, bigDirectory, ct);
        }
        finally
        {
            if (Directory.Exists(bigDirectory)) Directory.Delete(bigDirectory, recursive: true);
        }

        var restarts = new List<RestartResult>();
        foreach (var events in plan.RestartEventCounts)
        {
            var restartDirectory = Path.Combine(root, $"restart-{events}");
            try
            {
                progress?.Report($"AkkaWal: restarts of a journal of {events:N0} events (checkpoint, {plan.RestartEventsSinceCheckpoint:N0} events after it, full rebuild)");
                restarts.Add(await RestartScaling.RunAsync(events, plan.RestartEventsSinceCheckpoint, restartDirectory, ct));
            }
            finally
            {
                if (Directory.Exists(restartDirectory)) Directory.Delete(restartDirectory, recursive: true);
            }
        }

        var cells = _cells.Select(c => new JournalCell(c.Key.Workload, c.Key.Kind, c.Value.Events, c.Value.Seconds, c.Value.Costs)).ToArray();
        return new JournalBenchmarkReport(plan, MachineInfo.Describe(root), started, clock.Elapsed, loadStart, MachineInfo.LoadAverage(),
            sqliteSettings, Workloads(plan), cells, _raw, bigLog,
            _walSyncs.ToDictionary(w => w.Key, w => (IReadOnlyList<WalSyncSample>)w.Value), restarts);
    }

    private async Task RunJournalAsync(JournalKind kind, string directory, string repeat, CancellationToken ct)
    {
        var name = JournalUnderTest.ShortName(kind);
        progress?.Report($"{repeat}: {name} starting");
        await using var session = await JournalSession.StartAsync(JournalUnderTest.Configure(kind, directory), ct);

        // Untimed warm-up of the paths measured below (JIT, thread-pool growth, connection pools, the journal's first
        // batches and replays), with the most actors, so no journal's first cell pays for it (the in-memory baseline did).
        var sqlite = kind == JournalKind.SqlSqlite;
        await session.SequentialAsync(PersistMode.Persist, sqlite ? 10 : 200);
        await session.ConcurrentAsync(plan.ActorCounts.Max(), sqlite ? 2 : 10);
        await session.RecoveryAsync(10, 20);

        if (kind == JournalKind.AkkaWal)
        {
            // Right before the 1-actor Persist cell it is compared with, on the same disk.
            progress?.Report($"{repeat}: raw write+fdatasync loop");
            _raw.Add(await RawSyncLoop.RunAsync(Path.Combine(directory, "raw.dat"), recordSize: 100, recordsPerSync: 1,
                plan.RawWarmup, plan.RawWindow, ct: ct));
        }
        foreach (var mode in Modes)
        {
            var events = plan.SequentialEventsFor(kind, mode);
            progress?.Report($"{repeat}: {name}, 1 actor x {events} {mode}");
            await MeasureAsync(JournalBenchmarkReport.Sequential(mode), kind, events, () => session.SequentialAsync(mode, events));
        }
        foreach (var actors in plan.ActorCounts)
        {
            var each = plan.EventsPerActorFor(kind);
            progress?.Report($"{repeat}: {name}, {actors} actors x {each} Persist");
            await MeasureAsync(JournalBenchmarkReport.Concurrent(actors), kind, actors * each, () => session.ConcurrentAsync(actors, each));
        }
        progress?.Report($"{repeat}: {name}, recovery of {plan.RecoveryActors} x {plan.RecoveryEventsPerActor}");
        Record(JournalBenchmarkReport.RecoveryWorkload, kind, plan.RecoveryActors * plan.RecoveryEventsPerActor,
            await CellCost.MeasureAsync(() => session.RecoveryAsync(plan.RecoveryActors, plan.RecoveryEventsPerActor)));
    }

    /// <summary>Times one cell and what it cost the process; for AkkaWal also records the engine's group commits during it.</summary>
    private async Task MeasureAsync(string workload, JournalKind kind, int events, Func<Task<TimeSpan>> cell)
    {
        if (kind != JournalKind.AkkaWal)
        {
            Record(workload, kind, events, await CellCost.MeasureAsync(cell));
            return;
        }
        using var probe = new WalSyncProbe();
        CellCost cost = default;
        var (_, sample) = await probe.MeasureAsync(events, async () =>
        {
            cost = await CellCost.MeasureAsync(cell);
            return TimeSpan.FromSeconds(cost.Seconds);
        });
        Record(workload, kind, events, cost);
        if (!_walSyncs.TryGetValue(workload, out var samples)) _walSyncs[workload] = samples = new List<WalSyncSample>();
        samples.Add(sample);
    }

    private void Record(string workload, JournalKind kind, int events, CellCost cost)
    {
        if (!_cells.TryGetValue((workload, kind), out var cell))
            _cells[(workload, kind)] = cell = (events, new List<double>(), new List<CellCost>());
        cell.Seconds.Add(cost.Seconds);
        cell.Costs.Add(cost);
    }
}
