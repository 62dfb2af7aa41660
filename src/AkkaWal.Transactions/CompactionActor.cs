using Akka.Actor;
using Akka.Event;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions;

/// <summary>
/// Compacts every partition on a timer (interval and min-records from HOCON) and on demand (<see cref="CompactNow"/>).
/// Each partition snapshots its state (keys, undecided shares, open decisions, decided ids within the retention), reads the
/// snapshot back, then deletes what the previous snapshot covers; commits keep flowing meanwhile because the snapshot is a
/// copy taken between two messages of the partition.
/// </summary>
internal sealed class CompactionActor : ReceiveActor, IWithTimers
{
    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record RoundFinished(PartitionCompacted[] Partitions, IActorRef? Requester);

    private sealed record RoundFailed(Exception Cause, IActorRef? Requester);

    private static readonly TimeSpan PartitionTimeout = TimeSpan.FromMinutes(2);

    private readonly TransactionSettings _settings;
    private readonly IActorRef _partitions;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public CompactionActor(TransactionSettings settings, IActorRef partitions)
    {
        _settings = settings;
        _partitions = partitions;
        Receive<Tick>(_ => StartRound(_settings.CompactionMinRecords, null));
        Receive<CompactNow>(_ => StartRound(1, Sender));
        Receive<RoundFinished>(OnRoundFinished);
        Receive<RoundFailed>(failed =>
        {
            _log.Error(failed.Cause, "Compaction round failed");
            failed.Requester?.Tell(new Status.Failure(failed.Cause));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TransactionSettings settings, IActorRef partitions) => Akka.Actor.Props.Create(() => new CompactionActor(settings, partitions));

    protected override void PreStart()
    {
        if (_settings.CompactionInterval > TimeSpan.Zero)
            Timers.StartPeriodicTimer("compaction", Tick.Instance, _settings.CompactionInterval);
    }

    private void StartRound(long minRecords, IActorRef? requester)
    {
        var asks = Enumerable.Range(0, _settings.Partitions).Select(partition =>
            _partitions.Ask<PartitionCompacted>(new PartitionEnvelope(partition, new CompactPartition(minRecords)), PartitionTimeout));
        Task.WhenAll(asks).ContinueWith(task => task.IsCompletedSuccessfully
                ? (object)new RoundFinished(task.Result, requester)
                : new RoundFailed(task.Exception?.GetBaseException() ?? new TaskCanceledException("compaction round"), requester),
            TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
    }

    private void OnRoundFinished(RoundFinished round)
    {
        var report = new CompactionReport(round.Partitions.Count(p => p.Compacted), round.Partitions.Sum(p => p.RecordsRemoved));
        if (report.PartitionsCompacted > 0)
            _log.Info("Compaction: {0} partitions snapshotted, {1} journal records removed", report.PartitionsCompacted, report.RecordsRemoved);
        round.Requester?.Tell(report);
    }
}
