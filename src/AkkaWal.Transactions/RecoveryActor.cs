using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using AkkaWal.Transactions.Partitioning;

namespace AkkaWal.Transactions;

/// <summary>
/// Waits until every partition has replayed its journal (snapshot, then events), logs what each recovered and how long
/// it took, and tells the coordinator, which serves commands only from then on. It merges nothing: each partition holds
/// its own keys.
/// </summary>
internal sealed class RecoveryActor : ReceiveActor
{
    private readonly IActorRef _partitions;
    private readonly int _count;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<PartitionRecovered> _recovered = [];

    public RecoveryActor(IActorRef partitions, int count)
    {
        _partitions = partitions;
        _count = count;
        Receive<PartitionRecovered>(OnPartitionRecovered);
    }

    public static Props Props(IActorRef partitions, int count) => Akka.Actor.Props.Create(() => new RecoveryActor(partitions, count));

    /// <summary>Sent to the coordinator once every partition is recovered.</summary>
    internal sealed record Finished;

    protected override void PreStart()
    {
        // Persistent actors stash commands until their replay is done, so each answer arrives after its recovery.
        for (var partition = 0; partition < _count; partition++)
            _partitions.Tell(new PartitionEnvelope(partition, ReportRecovered.Instance));
    }

    private void OnPartitionRecovered(PartitionRecovered p)
    {
        _recovered.Add(p);
        _log.Info($"Partition {p.Partition} recovered in {p.ReplayMilliseconds:F1} ms: snapshot at sequence nr {p.SnapshotSequenceNr}, " +
                  $"{p.EventsReplayed} records replayed, last sequence nr {p.LastSequenceNr}; {p.Keys} keys, {p.Pending} in doubt, " +
                  $"{p.OpenDecisions} decisions being applied, {p.DecidedRemembered} decided ids remembered");
        if (_recovered.Count < _count)
            return;
        _log.Info($"Recovery finished in {_clock.Elapsed.TotalMilliseconds:F1} ms: {_count} partitions, " +
                  $"{_recovered.Sum(r => r.EventsReplayed)} records replayed, {_recovered.Sum(r => r.Keys)} keys, {_recovered.Sum(r => r.Pending)} shares in doubt");
        Context.Parent.Tell(new Finished());
        Context.Stop(Self);
    }
}
