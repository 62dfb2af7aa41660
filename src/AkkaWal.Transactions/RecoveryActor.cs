using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using AkkaWal.Transactions.Partitioning;

namespace AkkaWal.Transactions;

/// <summary>
/// Waits until every WAL-writer has replayed its partition (snapshot, then events), merges their committed state and
/// undecided transactions, logs what was recovered and how long it took, and hands the result to the coordinator,
/// which only then starts serving commands.
/// </summary>
public sealed class RecoveryActor : ReceiveActor
{
    private readonly IReadOnlyList<IActorRef> _writers;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<PartitionRecovered> _recovered = [];

    public RecoveryActor(IReadOnlyList<IActorRef> writers)
    {
        _writers = writers;
        Receive<PartitionRecovered>(OnPartitionRecovered);
    }

    public static Props Props(IReadOnlyList<IActorRef> writers) => Akka.Actor.Props.Create(() => new RecoveryActor(writers));

    protected override void PreStart()
    {
        // Persistent actors stash commands until their replay is done, so each answer arrives after its recovery.
        foreach (var writer in _writers)
            writer.Tell(ReportRecoveredState.Instance);
    }

    private void OnPartitionRecovered(PartitionRecovered partition)
    {
        _recovered.Add(partition);
        _log.Info($"Partition {partition.Partition} recovered in {partition.ReplayTime.TotalMilliseconds:F1} ms: snapshot at " +
                  $"sequence nr {partition.SnapshotSequenceNr}, {partition.EventsReplayed} records replayed, last sequence nr " +
                  $"{partition.LastSequenceNr}; {partition.Values.Count} keys, {partition.CommittedCount} committed, " +
                  $"{partition.AbortedCount} aborted, {partition.InDoubt.Count} in doubt");
        if (_recovered.Count < _writers.Count)
            return;

        var values = new CommittedValues();
        foreach (var part in _recovered)
            values.Merge(part.Values);
        var inDoubt = _recovered.SelectMany(p => p.InDoubt).OrderBy(t => t.TxId, StringComparer.Ordinal).ToArray();
        var maxCommitOrder = _recovered.Max(p => p.MaxCommitOrder);
        var inDoubtList = inDoubt.Length == 0 ? "" : ": " + string.Join(", ", inDoubt.Take(20).Select(t => t.TxId)) + (inDoubt.Length > 20 ? ", ..." : "");
        _log.Info($"Recovery finished in {_clock.Elapsed.TotalMilliseconds:F1} ms: {_recovered.Count} partitions, " +
                  $"{_recovered.Sum(p => p.EventsReplayed)} records replayed, {values.Count} keys, " +
                  $"{_recovered.Sum(p => p.CommittedCount)} committed, {inDoubt.Length} in doubt{inDoubtList}");
        Context.Parent.Tell(new RecoveryFinished(values, maxCommitOrder, inDoubt));
        Context.Stop(Self);
    }
}
