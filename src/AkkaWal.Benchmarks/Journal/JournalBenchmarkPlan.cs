namespace AkkaWal.Benchmarks.Journal;

/// <summary>
/// What the journal benchmark runs. Akka.Persistence.Sql on SQLite commits (and fsyncs) per transaction and is two
/// or three orders of magnitude slower, so its event counts are capped (<c>Sqlite...</c>); its figures are rates
/// (events/s) over fewer events, and the report says how many.
/// </summary>
public sealed record JournalBenchmarkPlan(
    string Name,
    int Repeats,
    int SequentialEvents,
    int SqliteSequentialEvents,
    int SqliteBatchedEvents,
    int[] ActorCounts,
    int EventsPerActor,
    int SqliteEventsPerActor,
    int RecoveryActors,
    int RecoveryEventsPerActor,
    int BigLogActors,
    int BigLogEventsPerActor,
    int BigLogRecoveries,
    TimeSpan RawWarmup,
    TimeSpan RawWindow)
{
    /// <summary>Journal sizes (events) whose restarts are timed, smallest first; the targets compare the last with the first.</summary>
    public long[] RestartEventCounts { get; init; } = [100_000, 1_000_000];

    /// <summary>Events written after the last checkpoint in the "after a crash" restart.</summary>
    public long RestartEventsSinceCheckpoint { get; init; } = 100_000;

    public static JournalBenchmarkPlan Full { get; } = new("full", Repeats: 5,
        SequentialEvents: 3000, SqliteSequentialEvents: 300, SqliteBatchedEvents: 1000,
        ActorCounts: [10, 100, 200], EventsPerActor: 100, SqliteEventsPerActor: 50,
        RecoveryActors: 100, RecoveryEventsPerActor: 100,
        BigLogActors: 10_000, BigLogEventsPerActor: 100, BigLogRecoveries: 7,
        RawWarmup: TimeSpan.FromMilliseconds(300), RawWindow: TimeSpan.FromSeconds(2));

    public static JournalBenchmarkPlan Quick { get; } = new("quick", Repeats: 1,
        SequentialEvents: 1000, SqliteSequentialEvents: 50, SqliteBatchedEvents: 300,
        ActorCounts: [10, 100, 200], EventsPerActor: 100, SqliteEventsPerActor: 10,
        RecoveryActors: 100, RecoveryEventsPerActor: 100,
        BigLogActors: 10_000, BigLogEventsPerActor: 100, BigLogRecoveries: 3,
        RawWarmup: TimeSpan.FromMilliseconds(200), RawWindow: TimeSpan.FromSeconds(1));

    public static IReadOnlyList<JournalKind> Journals { get; } = [JournalKind.AkkaWal, JournalKind.SqlSqlite, JournalKind.InMemory];

    public int SequentialEventsFor(JournalKind kind, PersistMode mode) => kind != JournalKind.SqlSqlite
        ? SequentialEvents
        : mode == PersistMode.Persist ? SqliteSequentialEvents : SqliteBatchedEvents;

    public int EventsPerActorFor(JournalKind kind) => kind == JournalKind.SqlSqlite ? SqliteEventsPerActor : EventsPerActor;

    public long BigLogEvents => (long)BigLogActors * BigLogEventsPerActor;
}
