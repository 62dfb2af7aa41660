using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions;

/// <summary>
/// One persistent actor per partition. Appends PREPARE / COMMIT / ABORT records with PersistAsync, so many writes of the
/// partition are in flight at once and the journal commits them as a group; each client is answered from the handler,
/// i.e. only after the journal acknowledged its record.
/// Validation runs against the "effective" status (durable state plus writes still in flight), so a duplicate prepare
/// is refused even while the first one is being written; any answer that depends on an in-flight write is deferred
/// (DeferAsync) until that write is acknowledged, so "already committed" is never said of a commit that is not durable.
/// </summary>
public sealed class WalWriter : UntypedPersistentActor
{
    private enum Phase { Preparing, Committing, Aborting }

    /// <summary>A transaction with writes not yet acknowledged.</summary>
    private sealed class InFlight(Phase phase, IActorRef requester)
    {
        public Phase Phase = phase;
        public int Writes = 1;
        public IActorRef Requester = requester;
    }

    private readonly int _partition;
    private readonly TransactionSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, InFlight> _inFlight = new(StringComparer.Ordinal);
    private readonly Stopwatch _replayClock = Stopwatch.StartNew();
    private PartitionState _state = new();
    private long _eventsReplayed;
    private TimeSpan _replayTime;
    private long _snapshotSequenceNr;
    private long _deletedUpTo; // compaction deletes up to each snapshot it takes, so recovery starts from the snapshot's nr
    private IActorRef? _compactionRequester;

    public WalWriter(int partition, TransactionSettings settings)
    {
        _partition = partition;
        _settings = settings;
        JournalPluginId = settings.JournalPluginId;
        SnapshotPluginId = settings.SnapshotPluginId;
    }

    public static Props Props(int partition, TransactionSettings settings) =>
        Akka.Actor.Props.Create(() => new WalWriter(partition, settings));

    public override string PersistenceId => _settings.PersistenceIdOf(_partition);

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: PartitionSnapshot snapshot } offer:
                _state = PartitionState.FromSnapshot(snapshot);
                _snapshotSequenceNr = _deletedUpTo = offer.Metadata.SequenceNr;
                break;
            case ITransactionEvent @event:
                _state.Apply(@event);
                _eventsReplayed++;
                break;
            case RecoveryCompleted:
                _replayTime = _replayClock.Elapsed;
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case Prepare prepare: OnPrepare(prepare); break;
            case WriteCommit commit: OnCommit(commit); break;
            case Abort abort: OnAbort(abort); break;
            case GetTransaction get:
                var pending = _state.PendingOf(get.TxId);
                Sender.Tell(new TransactionInfo(get.TxId, _state.StatusOf(get.TxId), pending?.Changes, pending?.PreparedAt));
                break;
            case GetInDoubt:
                Sender.Tell(new InDoubtTransactions(_state.Pending.ToArray()));
                break;
            case ReportRecoveredState:
                Sender.Tell(new PartitionRecovered(_partition, new Dictionary<string, VersionedValue>(_state.Values.Entries),
                    _state.Pending.ToArray(), _state.MaxCommitOrder, LastSequenceNr, _snapshotSequenceNr, _eventsReplayed,
                    _state.CommittedCount, _state.AbortedCount, _replayTime));
                break;
            case CompactPartition compact: OnCompact(compact); break;
            case SaveSnapshotSuccess saved:
                _snapshotSequenceNr = saved.Metadata.SequenceNr;
                DeleteMessages(saved.Metadata.SequenceNr);
                DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure failed:
                _log.Error(failed.Cause, "Partition {0}: snapshot at sequence nr {1} failed; nothing deleted", _partition, failed.Metadata.SequenceNr);
                FinishCompaction(compacted: false, removed: 0);
                break;
            case DeleteMessagesSuccess deleted:
                // Records up to the previous snapshot were deleted by the previous compaction, so this one removed the rest.
                FinishCompaction(compacted: true, removed: deleted.ToSequenceNr - _deletedUpTo);
                _deletedUpTo = deleted.ToSequenceNr;
                break;
            case DeleteMessagesFailure failed:
                _log.Error(failed.Cause, "Partition {0}: deleting records up to {1} failed; the snapshot stays valid", _partition, failed.ToSequenceNr);
                FinishCompaction(compacted: true, removed: 0);
                break;
            case DeleteSnapshotsSuccess:
                break;
            case DeleteSnapshotsFailure failed:
                _log.Warning("Partition {0}: deleting older snapshots failed: {1}", _partition, failed.Cause.Message);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnPrepare(Prepare prepare)
    {
        var status = EffectiveStatus(prepare.TxId);
        if (status != TransactionStatus.Unknown)
        {
            Reply(prepare.TxId, new TransactionRejected(prepare.TxId, RejectionReason.AlreadyExists,
                $"tx '{prepare.TxId}' already exists ({status}); nothing written"));
            return;
        }
        var replyTo = Sender;
        Track(prepare.TxId, Phase.Preparing);
        PersistAsync(new TransactionPrepared(prepare.TxId, prepare.Changes, DateTimeOffset.UtcNow), prepared =>
        {
            Acknowledged(prepared.TxId);
            _state.Apply(prepared);
            replyTo.Tell(new Prepared(prepared.TxId));
        });
    }

    private void OnCommit(WriteCommit commit)
    {
        switch (EffectiveStatus(commit.TxId))
        {
            case TransactionStatus.Unknown:
                Sender.Tell(new TransactionRejected(commit.TxId, RejectionReason.UnknownTransaction,
                    $"commit of unknown tx '{commit.TxId}': it was never prepared; nothing written"));
                return;
            case TransactionStatus.Aborted:
                Reply(commit.TxId, new TransactionRejected(commit.TxId, RejectionReason.TransactionAborted,
                    $"commit of tx '{commit.TxId}', which is aborted; nothing written"));
                return;
            case TransactionStatus.Committed:
                Reply(commit.TxId, new AlreadyCommitted(commit.TxId));
                return;
        }
        var replyTo = Sender;
        Track(commit.TxId, Phase.Committing);
        PersistAsync(new TransactionCommitted(commit.TxId, commit.CommitOrder), committed =>
        {
            Acknowledged(committed.TxId);
            var tx = _state.Apply(committed);
            if (tx is null)
            {
                // Only when the PREPARE before it was rejected by the journal: the COMMIT is stored but names nothing.
                replyTo.Tell(new TransactionRejected(committed.TxId, RejectionReason.UnknownTransaction,
                    $"tx '{committed.TxId}' has no stored PREPARE; the commit changed nothing"));
                return;
            }
            // The coordinator makes the changes visible to reads, then answers the client.
            Context.Parent.Tell(new CommitDurable(committed.TxId, tx.Changes, committed.CommitOrder, replyTo));
        });
    }

    private void OnAbort(Abort abort)
    {
        switch (EffectiveStatus(abort.TxId))
        {
            case TransactionStatus.Unknown:
                Sender.Tell(new TransactionRejected(abort.TxId, RejectionReason.UnknownTransaction,
                    $"abort of unknown tx '{abort.TxId}': it was never prepared; nothing written"));
                return;
            case TransactionStatus.Committed:
                Reply(abort.TxId, new TransactionRejected(abort.TxId, RejectionReason.TransactionCommitted,
                    $"abort of tx '{abort.TxId}', which is committed; nothing written"));
                return;
            case TransactionStatus.Aborted:
                Reply(abort.TxId, new AlreadyAborted(abort.TxId));
                return;
        }
        var replyTo = Sender;
        Track(abort.TxId, Phase.Aborting);
        PersistAsync(new TransactionAborted(abort.TxId), aborted =>
        {
            Acknowledged(aborted.TxId);
            _state.Apply(aborted);
            replyTo.Tell(new Aborted(aborted.TxId));
        });
    }

    private void OnCompact(CompactPartition compact)
    {
        if (_compactionRequester is not null || LastSequenceNr - _snapshotSequenceNr < Math.Max(1, compact.MinRecords))
        {
            Sender.Tell(new PartitionCompacted(_partition, false, 0));
            return;
        }
        _compactionRequester = Sender;
        // The durable state matches LastSequenceNr exactly (it changes only in acknowledged handlers), and
        // SaveSnapshot records LastSequenceNr: writes still in flight are after the snapshot and stay in the journal.
        SaveSnapshot(_state.ToSnapshot());
    }

    private void FinishCompaction(bool compacted, long removed)
    {
        _compactionRequester?.Tell(new PartitionCompacted(_partition, compacted, removed));
        _compactionRequester = null;
    }

    private TransactionStatus EffectiveStatus(string txId) =>
        _inFlight.TryGetValue(txId, out var inFlight)
            ? inFlight.Phase switch
            {
                Phase.Preparing => TransactionStatus.Prepared,
                Phase.Committing => TransactionStatus.Committed,
                _ => TransactionStatus.Aborted,
            }
            : _state.StatusOf(txId);

    /// <summary>Answers now, or after the transaction's in-flight writes are acknowledged if it has any.</summary>
    private void Reply(string txId, ITransactionReply reply)
    {
        if (!_inFlight.ContainsKey(txId))
        {
            Sender.Tell(reply);
            return;
        }
        var replyTo = Sender;
        DeferAsync(reply, r => replyTo.Tell(r));
    }

    private void Track(string txId, Phase phase)
    {
        if (_inFlight.TryGetValue(txId, out var inFlight))
        {
            inFlight.Phase = phase;
            inFlight.Writes++;
            inFlight.Requester = Sender;
        }
        else
        {
            _inFlight[txId] = new InFlight(phase, Sender);
        }
    }

    private void Acknowledged(string txId)
    {
        if (_inFlight.TryGetValue(txId, out var inFlight) && --inFlight.Writes == 0)
            _inFlight.Remove(txId);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        if (@event is not ITransactionEvent rejected)
        {
            base.OnPersistRejected(cause, @event, sequenceNr);
            return;
        }
        _log.Warning("Partition {0}: the journal rejected {1} of tx '{2}' (sequence nr {3}): {4}",
            _partition, @event.GetType().Name, rejected.TxId, sequenceNr, cause.Message);
        // The record is not stored: the effective status falls back to the durable one.
        if (_inFlight.Remove(rejected.TxId, out var inFlight))
            inFlight.Requester.Tell(new TransactionRejected(rejected.TxId, RejectionReason.JournalRejected,
                $"the journal rejected the {@event.GetType().Name} record of tx '{rejected.TxId}': {cause.Message}"));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The outcome of the failed write is unknown; the actor stops (base) and the coordinator recovers the partition
        // from the journal, which is the only truth.
        _log.Error(cause, "Partition {0}: journal write failed at sequence nr {1}; the writer stops and the partition is recovered",
            _partition, sequenceNr);
        // First the coordinator, so that it holds the commands clients send after hearing of the failure.
        Context.Parent.Tell(new WriterFailed(_partition));
        // Every write in flight loses its handler with this actor: tell each waiting client instead of leaving it to time out.
        foreach (var (txId, inFlight) in _inFlight)
            inFlight.Requester.Tell(new WriteOutcomeUnknown(txId,
                $"the journal failed while writing partition {_partition} ({cause.Message}); ask GetTransaction after recovery"));
        _inFlight.Clear();
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
