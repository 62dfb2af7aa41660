using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions;

/// <summary>
/// One persistent actor per partition: it owns the keys that hash to it (their committed values, versions and locks)
/// and writes its own records with PersistAsync, so many writes are in flight at once and the journal commits them as a
/// group; every answer that reports a write is sent from its handler, i.e. after the journal acknowledged it.
/// As a participant it prepares shares (locking their keys, checking expected versions, never waiting for a lock) and
/// applies decisions; as the home of a transaction it writes the one decision record and drives every other participant
/// until each has applied it. It is addressed only through the partitions seam (<see cref="PartitionEnvelope"/>); the
/// <c>partitions</c> ref it gets is the same seam, used to reach other partitions.
/// </summary>
internal sealed class PartitionActor : UntypedPersistentActor, IWithTimers
{
    private enum Phase { Preparing, Deciding, Resolving }

    /// <summary>Who an answer goes to: a partition or a local asker as is, the coordinator's redelivery as a
    /// <see cref="PartitionAnswer"/> carrying its request's id.</summary>
    private readonly record struct ReplyTo(IActorRef To, long? RequestId)
    {
        public static readonly ReplyTo Nobody = new(ActorRefs.Nobody, null);

        public void Tell(ITransactionsMessage answer) => To.Tell(RequestId is { } id ? new PartitionAnswer(id, answer) : answer);
    }

    /// <summary>A transaction with writes not yet acknowledged.</summary>
    private sealed class InFlight(Phase phase, bool commit, ReplyTo requester)
    {
        public Phase Phase = phase;
        public bool Commit = commit;
        public int Writes = 1;
        public ReplyTo Requester = requester;
    }

    /// <summary>A decision of this home until every other participant has applied it.</summary>
    private sealed class Drive(bool commit, IEnumerable<int> awaiting)
    {
        public readonly bool Commit = commit;
        public readonly HashSet<int> Awaiting = [.. awaiting];
        public readonly List<(ReplyTo To, bool WantsCommit, bool Repeat)> Waiters = [];
        public bool Durable;
    }

    private sealed record Redrive
    {
        public static readonly Redrive Instance = new();
    }

    private sealed record SweepInDoubt
    {
        public static readonly SweepInDoubt Instance = new();
    }

    private sealed record Retry(object Message, IActorRef Sender);

    private sealed record StopCheck
    {
        public static readonly StopCheck Instance = new();
    }

    /// <summary>How long a partition asked to stop (<see cref="StopPartition"/>) waits for its in-flight writes and
    /// driven decisions before it stops anyway; well inside sharding's hand-off timeout.</summary>
    internal static readonly TimeSpan HandOffGrace = TimeSpan.FromSeconds(10);

    /// <summary>Refused prepares remembered by request id (<see cref="RecentRefusals"/>): well above the refusals a
    /// partition hands out within one redelivery window at full load, at about 200 bytes each.</summary>
    internal const int RecentRefusalsKept = 20_000;

    /// <summary>Local only: tells the parent region to hold this partition's messages until the actor is back.</summary>
    internal sealed record PartitionStopping(int Partition);

    private readonly int _partition;
    private readonly TransactionSettings _settings;
    private readonly IActorRef _partitions;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, InFlight> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _locks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Drive> _drives = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _timeouts = new();
    private readonly RecentRefusals _recentRefusals = new(RecentRefusalsKept);
    private readonly Stopwatch _replayClock = Stopwatch.StartNew();
    private PartitionState _state;
    private long _eventsReplayed;
    private TimeSpan _replayTime;
    private long _snapshotSequenceNr;
    private long _deletedUpTo;
    private long _verifyingSnapshotNr;
    private IActorRef? _compactionRequester;
    private DateTime? _stopDeadline;

    public PartitionActor(int partition, TransactionSettings settings, IActorRef partitions)
    {
        _partition = partition;
        _settings = settings;
        _partitions = partitions;
        _state = NewState();
        JournalPluginId = settings.JournalPluginId;
        SnapshotPluginId = settings.SnapshotPluginId;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(int partition, TransactionSettings settings, IActorRef partitions) =>
        Akka.Actor.Props.Create(() => new PartitionActor(partition, settings, partitions));

    public override string PersistenceId => _settings.PersistenceIdOf(_partition);

    private PartitionState NewState() => new(_partition, _settings.DecidedRetentionCount, _settings.DecidedRetentionAge);

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: PartitionStateSnapshot snapshot } offer:
                _state = PartitionState.FromSnapshot(snapshot, _partition, _settings.DecidedRetentionCount, _settings.DecidedRetentionAge);
                _snapshotSequenceNr = offer.Metadata.SequenceNr;
                break;
            case ITransactionEvent @event:
                _state.Apply(@event);
                _eventsReplayed++;
                break;
            case RecoveryCompleted:
                OnRecoveryCompleted();
                break;
            case SnapshotOffer or TransactionPrepared or TransactionCommitted or TransactionAborted:
                throw new InvalidOperationException(
                    $"partition {_partition} ({PersistenceId}) holds records of the first transactions layout (partitioned by tx id, " +
                    $"{message.GetType().Name}); this version partitions by key and cannot read them. Export the committed state with " +
                    "the previous version and import it into an empty data directory.");
        }
    }

    private void OnRecoveryCompleted()
    {
        _replayTime = _replayClock.Elapsed;
        foreach (var share in _state.Pending)
        {
            foreach (var key in PartitionState.LockedKeys(share.Changes, share.Expect))
                _locks[key] = share.TxId;
            if (_settings.InDoubtPolicy == InDoubtPolicy.AbortAfterTimeout)
                _timeouts.Enqueue(share.TxId, share.PreparedAt + _settings.InDoubtTimeout);
            if (share.Home != _partition) // in doubt: the home knows whether it was decided
                ToPartition(share.Home, new ResolveInDoubt(share.TxId, false, share.Participants));
        }
        foreach (var open in _state.Open) // decided here, not yet acknowledged by every participant: ask them again
        {
            _drives[open.TxId] = new Drive(open.Commit, open.Awaiting) { Durable = true };
            foreach (var participant in open.Awaiting)
                ToPartition(participant, new ApplyDecision(open.TxId, open.Commit));
        }
        Timers.StartPeriodicTimer("redrive", Redrive.Instance, _settings.RedriveInterval);
        if (_settings.InDoubtPolicy == InDoubtPolicy.AbortAfterTimeout)
        {
            var sweep = TimeSpan.FromTicks(Math.Clamp(_settings.InDoubtTimeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
            Timers.StartPeriodicTimer("in-doubt", SweepInDoubt.Instance, sweep);
        }
    }

    protected override void OnCommand(object message)
    {
        if (message is PartitionRequest request)
        {
            if (!OnRequest(request.Message, new ReplyTo(Sender, request.Id), request))
                Unhandled(message);
            return;
        }
        if (OnRequest(message, new ReplyTo(Sender, null), message))
            return;
        switch (message)
        {
            case ShareApplied applied: OnShareApplied(applied); break;
            case ResolveInDoubt resolve: OnResolveInDoubt(resolve); break;
            case StillInDoubt:
                break;
            case Retry retry:
                Self.Tell(retry.Message, retry.Sender);
                break;
            case Redrive:
                foreach (var (txId, drive) in _drives.Where(d => d.Value.Durable))
                    foreach (var participant in drive.Awaiting)
                        ToPartition(participant, new ApplyDecision(txId, drive.Commit));
                _state.EvictDecided(DateTimeOffset.UtcNow);
                break;
            case SweepInDoubt: OnSweepInDoubt(); break;
            case StopPartition:
                _stopDeadline ??= DateTime.UtcNow + HandOffGrace;
                StopWhenIdle();
                break;
            case StopCheck: StopWhenIdle(); break;
            case ReportRecovered:
                Sender.Tell(new PartitionRecovered(_partition, _state.KeyCount, _state.PendingCount, _drives.Count, _state.DecidedCount,
                    LastSequenceNr, _snapshotSequenceNr, _eventsReplayed, _replayTime.TotalMilliseconds));
                break;
            case CompactPartition compact: OnCompact(compact); break;
            case SaveSnapshotSuccess saved: OnSnapshotSaved(saved.Metadata.SequenceNr); break;
            case SaveSnapshotFailure failed:
                _log.Error(failed.Cause, "Partition {0}: snapshot at sequence nr {1} failed; nothing deleted", _partition, failed.Metadata.SequenceNr);
                FinishCompaction(compacted: false, removed: 0);
                break;
            case LoadSnapshotResult loaded: OnSnapshotLoaded(loaded); break;
            case LoadSnapshotFailed failed:
                _log.Error(failed.Cause, "Partition {0}: the new snapshot could not be read back; the previous one and its records stay", _partition);
                FinishCompaction(compacted: true, removed: 0);
                break;
            case DeleteMessagesSuccess deleted:
                FinishCompaction(compacted: true, removed: Math.Max(0, deleted.ToSequenceNr - _deletedUpTo));
                _deletedUpTo = deleted.ToSequenceNr;
                break;
            case DeleteMessagesFailure failed:
                _log.Error(failed.Cause, "Partition {0}: deleting records up to {1} failed; the snapshots stay valid", _partition, failed.ToSequenceNr);
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

    /// <summary>The requests a partition answers (alone or inside a <see cref="PartitionRequest"/>); false for any other
    /// message. <paramref name="received"/> is the message as it came, run again when it has to wait for a write.</summary>
    private bool OnRequest(object message, ReplyTo replyTo, object received)
    {
        switch (message)
        {
            case PrepareShare prepare: OnPrepare(prepare, replyTo, received); break;
            case DecideTransaction decide:
                if (!_drives.ContainsKey(decide.TxId) && DeferWhileInFlight(decide.TxId, received))
                    break;
                OnDecide(decide, replyTo, waiting: true);
                break;
            case ApplyDecision apply: OnApply(apply, replyTo, received); break;
            case FindShare find:
                if (!DeferWhileInFlight(find.TxId, received))
                    replyTo.Tell(ShareInfoOf(find.TxId));
                break;
            case GetDecision get:
                replyTo.Tell(new DecisionInfo(get.TxId, _state.StatusOf(get.TxId)));
                break;
            case ReadKeysAt read:
                replyTo.Tell(new KeyReads(read.Keys.Select(ReadKey).ToArray()));
                break;
            case ListPending:
                replyTo.Tell(new PendingShares(_state.Pending.Select(s => ShareInfoOf(s.TxId)).ToArray()));
                break;
            default:
                return false;
        }
        return true;
    }

    private void OnPrepare(PrepareShare prepare, ReplyTo replyTo, object received)
    {
        if (DeferWhileInFlight(prepare.TxId, received))
            return;
        var status = _state.StatusOf(prepare.TxId);
        if (status != TransactionStatus.Unknown)
        {
            replyTo.Tell(RepeatedPrepare(prepare, status));
            return;
        }
        if (_recentRefusals.Find(prepare.RequestId) is { } refusedBefore)
        {
            replyTo.Tell(refusedBefore); // a redelivery answers as the first delivery did, even if the lock is free now
            return;
        }
        var keys = PartitionState.LockedKeys(prepare.Changes, prepare.Expect).ToArray();
        foreach (var key in keys)
            if (_locks.TryGetValue(key, out var holder))
            {
                Refuse(prepare, replyTo, new TransactionRejected(prepare.TxId, RejectionReason.LockConflict,
                    $"key '{key}' is locked by tx '{holder}', which is prepared and not yet decided; nothing written", Key: key, Holder: holder));
                return;
            }
        foreach (var (key, expected) in prepare.Expect)
        {
            var actual = _state.ValueOf(key)?.Version ?? 0;
            if (actual != expected)
            {
                Refuse(prepare, replyTo, new TransactionRejected(prepare.TxId, RejectionReason.VersionMismatch,
                    $"key '{key}' is at version {actual}{(actual == 0 ? " (it does not exist)" : "")}, the prepare expected {expected}" +
                    $"{(expected == 0 ? " (must not exist)" : "")}; nothing written", Key: key, Expected: expected, Actual: actual));
                return;
            }
        }
        foreach (var key in keys)
            _locks[key] = prepare.TxId; // taken now, so a prepare behind this one in the mailbox sees them
        Track(prepare.TxId, Phase.Preparing, commit: false, replyTo);
        var requestId = prepare.RequestId == Guid.Empty ? (Guid?)null : prepare.RequestId;
        PersistAsync(new SharePrepared(prepare.TxId, prepare.Home, prepare.Participants, prepare.Changes, prepare.Expect, DateTimeOffset.UtcNow, requestId), prepared =>
        {
            Acknowledged(prepared.TxId);
            _state.Apply(prepared);
            if (_settings.InDoubtPolicy == InDoubtPolicy.AbortAfterTimeout)
                _timeouts.Enqueue(prepared.TxId, prepared.PreparedAt + _settings.InDoubtTimeout);
            replyTo.Tell(new Prepared(prepared.TxId));
        });
    }

    /// <summary>The answer to a prepare of a tx id this partition knows: the same request again (a redelivery) answers
    /// what its first delivery did, or the outcome once decided; any other prepare is refused.</summary>
    private ITransactionsMessage RepeatedPrepare(PrepareShare prepare, TransactionStatus status)
    {
        if (prepare.RequestId == Guid.Empty || _state.PreparedBy(prepare.TxId) != prepare.RequestId)
            return new TransactionRejected(prepare.TxId, RejectionReason.AlreadyExists, $"tx '{prepare.TxId}' already exists ({status}); nothing written");
        return status switch
        {
            TransactionStatus.Prepared => new Prepared(prepare.TxId),
            TransactionStatus.Committed => new AlreadyCommitted(prepare.TxId),
            _ => new TransactionRejected(prepare.TxId, RejectionReason.TransactionAborted,
                $"tx '{prepare.TxId}' was prepared by this request and has been aborted since; nothing more written"),
        };
    }

    /// <summary>A conflict depends on the moment: it is remembered (for a while, in memory) so that a redelivery of the
    /// same prepare, which may run after the lock was released, gets the same answer instead of preparing a share the
    /// client was already told was refused.</summary>
    private void Refuse(PrepareShare prepare, ReplyTo replyTo, TransactionRejected refusal)
    {
        _recentRefusals.Remember(prepare.RequestId, refusal);
        replyTo.Tell(refusal);
    }

    /// <summary>This partition is the home: record the decision (once) and drive the participants. Requests wait for
    /// a write of the transaction in flight before they get here (<see cref="OnRequest"/>).</summary>
    private void OnDecide(DecideTransaction decide, ReplyTo requester, bool waiting)
    {
        if (_drives.TryGetValue(decide.TxId, out var running))
        {
            if (waiting)
                running.Waiters.Add((requester, decide.Commit, Repeat: false));
            return;
        }
        var status = _state.StatusOf(decide.TxId);
        if (status is TransactionStatus.Committed or TransactionStatus.Aborted)
        {
            if (waiting)
                requester.Tell(Outcome(decide.TxId, status == TransactionStatus.Committed, decide.Commit, repeat: true));
            return;
        }
        var share = _state.PendingOf(decide.TxId);
        if (share is null && (decide.Commit || decide.Participants.All(p => p == _partition)))
        {
            if (waiting)
                requester.Tell(decide.Participants.Count > 1
                    ? new TransactionRejected(decide.TxId, RejectionReason.IncompletePrepare,
                        $"tx '{decide.TxId}' is not prepared in partition {_partition}, its home; abort it; nothing written")
                    : new TransactionRejected(decide.TxId, RejectionReason.UnknownTransaction,
                        $"{(decide.Commit ? "commit" : "abort")} of unknown tx '{decide.TxId}': it was never prepared (or is past the decided-retention); nothing written"));
            return;
        }
        var participants = share?.Participants ?? decide.Participants;
        var drive = new Drive(decide.Commit, participants.Where(p => p != _partition));
        if (waiting)
            drive.Waiters.Add((requester, decide.Commit, Repeat: false));
        _drives[decide.TxId] = drive;
        Track(decide.TxId, Phase.Deciding, decide.Commit, requester);
        PersistAsync(new TransactionDecided(decide.TxId, decide.Commit, participants, DateTimeOffset.UtcNow), decided =>
        {
            Acknowledged(decided.TxId);
            _state.Apply(decided);
            ReleaseLocks(share);
            drive.Durable = true;
            if (drive.Awaiting.Count == 0)
            {
                Finish(decided.TxId);
                return;
            }
            CrashPoint.Reached(_settings, CrashPoint.DecisionWritten);
            foreach (var participant in drive.Awaiting)
                ToPartition(participant, new ApplyDecision(decided.TxId, decided.Commit));
        });
    }

    private void OnShareApplied(ShareApplied applied)
    {
        if (!_drives.TryGetValue(applied.TxId, out var drive) || !drive.Durable || !drive.Awaiting.Remove(applied.Partition))
            return;
        if (drive.Awaiting.Count > 0)
            CrashPoint.Reached(_settings, CrashPoint.PartlyApplied);
        else
            Finish(applied.TxId);
    }

    private void Finish(string txId)
    {
        if (!_drives.Remove(txId, out var drive))
            return;
        _state.Close(txId);
        foreach (var (to, wantsCommit, repeat) in drive.Waiters)
            to.Tell(Outcome(txId, drive.Commit, wantsCommit, repeat));
    }

    private static ITransactionReply Outcome(string txId, bool committed, bool wantsCommit, bool repeat) =>
        (committed, wantsCommit) switch
        {
            (true, true) => repeat ? new AlreadyCommitted(txId) : new Committed(txId),
            (false, false) => repeat ? new AlreadyAborted(txId) : new Aborted(txId),
            (false, true) => new TransactionRejected(txId, RejectionReason.TransactionAborted, $"commit of tx '{txId}', which is aborted; nothing written"),
            (true, false) => new TransactionRejected(txId, RejectionReason.TransactionCommitted, $"abort of tx '{txId}', which is committed; nothing written"),
        };

    /// <summary>A participant applies its home's decision.</summary>
    private void OnApply(ApplyDecision apply, ReplyTo home, object received)
    {
        if (DeferWhileInFlight(apply.TxId, received))
            return;
        var share = _state.PendingOf(apply.TxId);
        if (share is null) // already applied, or never prepared here: nothing to do
        {
            home.Tell(new ShareApplied(apply.TxId, _partition));
            return;
        }
        Track(apply.TxId, Phase.Resolving, apply.Commit, home);
        PersistAsync(new ShareResolved(apply.TxId, apply.Commit, DateTimeOffset.UtcNow), resolved =>
        {
            Acknowledged(resolved.TxId);
            _state.Apply(resolved);
            ReleaseLocks(share);
            home.Tell(new ShareApplied(resolved.TxId, _partition));
        });
    }

    private void OnResolveInDoubt(ResolveInDoubt resolve)
    {
        if (_drives.TryGetValue(resolve.TxId, out var running))
        {
            if (running.Durable)
                Sender.Tell(new ApplyDecision(resolve.TxId, running.Commit));
            return; // otherwise the participant is told once the decision is durable
        }
        if (DeferWhileInFlight(resolve.TxId, resolve))
            return;
        var status = _state.StatusOf(resolve.TxId);
        if (status is TransactionStatus.Committed or TransactionStatus.Aborted)
            Sender.Tell(new ApplyDecision(resolve.TxId, status == TransactionStatus.Committed));
        else if (resolve.AbortIfUndecided)
        {
            _log.Info("Partition {0}: tx '{1}' undecided after in-doubt.timeout; aborting it", _partition, resolve.TxId);
            OnDecide(new DecideTransaction(resolve.TxId, false, resolve.Participants), ReplyTo.Nobody, waiting: false);
        }
        else
            Sender.Tell(new StillInDoubt(resolve.TxId));
    }

    private void OnSweepInDoubt()
    {
        var now = DateTimeOffset.UtcNow;
        while (_timeouts.TryPeek(out var txId, out var due) && due <= now)
        {
            _timeouts.Dequeue();
            if (_state.PendingOf(txId) is not { } share || _inFlight.ContainsKey(txId))
                continue;
            if (share.Home == _partition)
            {
                _log.Info("Partition {0}: tx '{1}' undecided after in-doubt.timeout; aborting it", _partition, txId);
                OnDecide(new DecideTransaction(txId, false, share.Participants), ReplyTo.Nobody, waiting: false);
            }
            else
            {
                ToPartition(share.Home, new ResolveInDoubt(txId, true, share.Participants));
                _timeouts.Enqueue(txId, now + _settings.RedriveInterval); // until the home answers
            }
        }
    }

    private KeyRead ReadKey(string key)
    {
        var value = _state.ValueOf(key);
        if (_locks.TryGetValue(key, out var holder) && _state.PendingOf(holder) is { } share && share.Changes.TryGetValue(key, out var pending))
            return new KeyRead(key, value?.Value, value?.Version ?? 0, holder, share.Home, pending);
        return new KeyRead(key, value?.Value, value?.Version ?? 0, null, null, null);
    }

    private ShareInfo ShareInfoOf(string txId)
    {
        var share = _state.PendingOf(txId);
        if (share is not null)
            return new ShareInfo(txId, _partition, TransactionStatus.Prepared, share.Home, share.Participants, share.Changes, share.PreparedAt);
        var open = _state.OpenOf(txId);
        return new ShareInfo(txId, _partition, _state.StatusOf(txId), open is null ? -1 : _partition,
            open is null ? [] : open.Awaiting.Append(_partition).Order().ToArray(), null, null);
    }

    private void ReleaseLocks(SharePrepared? share)
    {
        if (share is null)
            return;
        foreach (var key in PartitionState.LockedKeys(share.Changes, share.Expect))
            if (_locks.TryGetValue(key, out var holder) && holder == share.TxId)
                _locks.Remove(key);
    }

    private void ToPartition(int partition, ITransactionsMessage message) =>
        _partitions.Tell(new PartitionEnvelope(partition, message), Self);

    /// <summary>A request about a transaction with a write in flight waits until that write is acknowledged, then runs
    /// again, so no answer ever reports or depends on a record that is not durable.</summary>
    private bool DeferWhileInFlight(string txId, object message)
    {
        if (!_inFlight.ContainsKey(txId))
            return false;
        DeferAsync(new Retry(message, Sender), retry => Self.Tell(retry));
        return true;
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

    /// <summary>The new snapshot is read back once before anything older is deleted.</summary>
    private void OnSnapshotSaved(long sequenceNr)
    {
        _verifyingSnapshotNr = sequenceNr;
        LoadSnapshot(PersistenceId, new SnapshotSelectionCriteria(sequenceNr, DateTime.MaxValue, sequenceNr), sequenceNr);
    }

    private void OnSnapshotLoaded(LoadSnapshotResult loaded)
    {
        if (loaded.Snapshot?.Metadata.SequenceNr != _verifyingSnapshotNr || loaded.Snapshot.Snapshot is not PartitionStateSnapshot)
        {
            _log.Error("Partition {0}: the snapshot at {1} did not read back; the previous one and its records stay", _partition, _verifyingSnapshotNr);
            FinishCompaction(compacted: true, removed: 0);
            return;
        }
        // Keep the previous snapshot and every record after it, so one damaged snapshot file cannot lose the partition.
        var previous = _snapshotSequenceNr;
        _snapshotSequenceNr = _verifyingSnapshotNr;
        if (previous <= 0)
        {
            FinishCompaction(compacted: true, removed: 0);
            return;
        }
        DeleteSnapshots(new SnapshotSelectionCriteria(previous - 1));
        DeleteMessages(previous);
    }

    private void FinishCompaction(bool compacted, long removed)
    {
        _compactionRequester?.Tell(new PartitionCompacted(_partition, compacted, removed));
        _compactionRequester = null;
    }

    private void Track(string txId, Phase phase, bool commit, ReplyTo requester)
    {
        if (_inFlight.TryGetValue(txId, out var inFlight))
        {
            inFlight.Phase = phase;
            inFlight.Commit = commit;
            inFlight.Writes++;
            inFlight.Requester = requester;
        }
        else
        {
            _inFlight[txId] = new InFlight(phase, commit, requester);
        }
    }

    private void Acknowledged(string txId)
    {
        if (_inFlight.TryGetValue(txId, out var inFlight) && --inFlight.Writes == 0)
            _inFlight.Remove(txId);
    }

    /// <summary>Stops once no write is in flight (this checks again shortly; acknowledgements come on this actor's
    /// callbacks); past the grace, stops anyway. Whoever still waits is told the outcome is unknown: a decision whose
    /// participants have not all applied it yet cannot reach them now (the region holds this shard's messages during the
    /// hand-off), and the next incarnation, recovered from the journal, drives it on; GetTransaction tells.</summary>
    private void StopWhenIdle()
    {
        if (_inFlight.Count > 0 && DateTime.UtcNow < _stopDeadline)
        {
            Timers.StartSingleTimer(nameof(StopCheck), StopCheck.Instance, TimeSpan.FromMilliseconds(20));
            return;
        }
        AnswerOutcomeUnknown($"partition {_partition} moved to another node before this answer; ask GetTransaction");
        Context.Stop(Self);
    }

    /// <summary>Tells everyone still waiting on this incarnation (in-flight writes, decisions' waiters) that the outcome
    /// is unknown and forgets them: the next incarnation, recovered from the journal, knows it.</summary>
    private void AnswerOutcomeUnknown(string unknown)
    {
        foreach (var (txId, inFlight) in _inFlight)
            inFlight.Requester.Tell(new WriteOutcomeUnknown(txId, unknown));
        foreach (var (txId, drive) in _drives)
            foreach (var waiter in drive.Waiters)
                waiter.To.Tell(new WriteOutcomeUnknown(txId, unknown));
        _inFlight.Clear();
        _drives.Clear();
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
        var refusal = new TransactionRejected(rejected.TxId, RejectionReason.JournalRejected,
            $"the journal rejected the {@event.GetType().Name} record of tx '{rejected.TxId}': {cause.Message}");
        _inFlight.Remove(rejected.TxId, out var inFlight);
        switch (@event)
        {
            case SharePrepared prepared: // not stored: free its locks and its id
                ReleaseLocks(prepared);
                inFlight?.Requester.Tell(refusal);
                break;
            case TransactionDecided when _drives.Remove(rejected.TxId, out var drive):
                foreach (var waiter in drive.Waiters)
                    waiter.To.Tell(refusal);
                break;
        }
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The outcome of the failed write is unknown; the actor stops (base) and is recovered from the journal, the
        // only truth. The local region holds this partition's messages until the new incarnation runs.
        _log.Error(cause, "Partition {0}: journal write failed at sequence nr {1}; the partition stops and is recovered", _partition, sequenceNr);
        Context.Parent.Tell(new PartitionStopping(_partition));
        AnswerOutcomeUnknown($"the journal failed while writing partition {_partition} ({cause.Message}); ask GetTransaction after recovery");
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
