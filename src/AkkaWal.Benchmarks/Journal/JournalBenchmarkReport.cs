namespace AkkaWal.Benchmarks.Journal;

/// <summary>One workload on one journal over the repeats: the events each run persisted (or recovered), its times
/// and, when measured, what each run cost the process (CPU, allocation, GC pauses).</summary>
public sealed record JournalCell(string Workload, JournalKind Kind, int Events, IReadOnlyList<double> Seconds, IReadOnlyList<CellCost>? Costs = null)
{
    public Spread EventsPerSecond => Spread.Of(Seconds.Select(s => Events / s));
    public Spread Milliseconds => Spread.Of(Seconds.Select(s => s * 1000));
    public bool HasCosts => Costs is { Count: > 0 };
    public Spread CpuMicrosPerEvent => Spread.Of((Costs ?? []).Select(c => c.CpuMicrosPerEvent(Events)));
    public Spread BytesPerEvent => Spread.Of((Costs ?? []).Select(c => c.BytesPerEvent(Events)));
    public Spread GcPausePercent => Spread.Of((Costs ?? []).Select(c => c.GcPauseShare * 100));
}

public sealed record JournalBenchmarkReport(
    JournalBenchmarkPlan Plan,
    MachineInfo Machine,
    DateTime StartedUtc,
    TimeSpan Duration,
    double? LoadAverageStart,
    double? LoadAverageEnd,
    string SqliteSettings,
    IReadOnlyList<string> Workloads,
    IReadOnlyList<JournalCell> Cells,
    IReadOnlyList<CellResult> RawRuns,
    BigLogResult? BigLog,
    IReadOnlyDictionary<string, IReadOnlyList<WalSyncSample>> AkkaWalSyncs,
    IReadOnlyList<RestartResult>? Restarts = null)
{
    public const string RecoveryWorkload = "recovery";

    public JournalCell? Find(string workload, JournalKind kind) =>
        Cells.FirstOrDefault(c => c.Workload == workload && c.Kind == kind);

    public Spread RawRecordsPerSecond => Spread.Of(RawRuns.Select(r => r.RecordsPerSecond));

    public static string Sequential(PersistMode mode) => $"1 actor {mode}";

    public static string Concurrent(int actors) => $"{actors} actors Persist";
}
