using Akka.Actor;
using Akka.Event;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions;

/// <summary>
/// The one entry point. Validates input (nothing invalid reaches a writer), routes each transaction to the WAL-writer
/// of its partition, and holds every command until recovery has rebuilt the state. It owns the read model: a commit
/// becomes visible here in one message, after its COMMIT record is durable and before the client is answered, so a
/// read never sees part of a transaction and every acknowledged commit is visible to the reads that follow it.
/// </summary>
public sealed class TransactionCoordinator : UntypedActor, IWithUnboundedStash, IWithTimers
{
    private sealed record RestartWriter(int Partition);

    private sealed record AbortInDoubt(string TxId);

    private static readonly TimeSpan WriterRestartDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan InDoubtQueryTimeout = TimeSpan.FromSeconds(30);

    private readonly TransactionSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef[] _writers;
    private readonly List<CommitDurable> _visibleDuringRecovery = [];
    private readonly HashSet<int> _writersDown = [];
    private CommittedValues _values = new();
    private long _nextCommitOrder = 1;
    private int _recoveryGeneration;
    private IActorRef? _recovery;
    private IActorRef _compaction = ActorRefs.Nobody;

    public TransactionCoordinator(TransactionSettings settings)
    {
        _settings = settings;
        _writers = new IActorRef[settings.Partitions];
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TransactionSettings settings) => Akka.Actor.Props.Create(() => new TransactionCoordinator(settings));

    protected override void PreStart()
    {
        for (var i = 0; i < _writers.Length; i++)
            StartWriter(i);
        StartCompaction();
        StartRecovery();
    }

    /// <summary>A failed child stops instead of restarting in place: a writer restarted in place would drop the handlers
    /// of its in-flight writes, so the coordinator sees Terminated and rebuilds everything from the journal instead.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void StartCompaction()
    {
        _compaction = Context.ActorOf(CompactionActor.Props(_settings), "compaction");
        Context.Watch(_compaction);
    }

    protected override void OnReceive(object message) => Recovering(message);

    private void StartWriter(int partition)
    {
        _writers[partition] = Context.ActorOf(WalWriter.Props(partition, _settings), "partition-" + partition);
        Context.Watch(_writers[partition]);
    }

    private void StartRecovery()
    {
        if (_recovery is not null)
            Context.Stop(_recovery);
        _visibleDuringRecovery.Clear();
        _recovery = Context.ActorOf(RecoveryActor.Props(_writers.ToArray()), "recovery-" + ++_recoveryGeneration);
        Context.Watch(_recovery);
        Become(Recovering);
    }

    private void Recovering(object message)
    {
        switch (message)
        {
            case RecoveryFinished when _writersDown.Count > 0:
                break; // a writer failed while it ran: a new recovery starts once the writer is back
            case RecoveryFinished finished when Sender.Equals(_recovery):
                _recovery = null;
                _values = finished.Values;
                // Commits made visible while recovery ran may be missing from the partitions' reports: apply them again
                // (applying is idempotent: the higher commit number wins).
                foreach (var visible in _visibleDuringRecovery)
                    _values.Apply(visible.Changes, visible.CommitOrder);
                _visibleDuringRecovery.Clear();
                _nextCommitOrder = Math.Max(_nextCommitOrder, finished.MaxCommitOrder + 1);
                ApplyInDoubtPolicy(finished.InDoubt);
                Become(Ready);
                Stash.UnstashAll();
                break;
            case RecoveryFinished:
                break; // from a recovery that a writer restart superseded
            case CommitDurable durable:
                _visibleDuringRecovery.Add(durable);
                MakeVisible(durable);
                break;
            case Terminated terminated:
                OnChildTerminated(terminated);
                break;
            case WriterFailed failed:
                OnWriterFailed(failed.Partition);
                break;
            case RestartWriter restart:
                StartWriter(restart.Partition);
                _writersDown.Remove(restart.Partition);
                if (_writersDown.Count == 0)
                    StartRecovery();
                break;
            case ITransactionReply reply:
                LogOwnReply(reply);
                break;
            default:
                Stash.Stash();
                break;
        }
    }

    private void Ready(object message)
    {
        switch (message)
        {
            case Prepare prepare:
                if ((TransactionRules.CheckTxId(prepare.TxId) ??
                     TransactionRules.CheckChanges(prepare.TxId, prepare.Changes, _settings.MaxChangesBytes)) is { } invalid)
                    Sender.Tell(invalid);
                else
                    WriterOf(prepare.TxId).Forward(prepare);
                break;
            case Commit commit:
                if (TransactionRules.CheckTxId(commit.TxId) is { } badCommit)
                    Sender.Tell(badCommit);
                else
                    WriterOf(commit.TxId).Forward(new WriteCommit(commit.TxId, _nextCommitOrder++));
                break;
            case ITransactionIdCommand byId: // Abort, GetTransaction
                if (TransactionRules.CheckTxId(byId.TxId) is { } badId)
                    Sender.Tell(badId);
                else
                    WriterOf(byId.TxId).Forward(byId);
                break;
            case CommitDurable durable:
                MakeVisible(durable);
                break;
            case AbortInDoubt abortInDoubt:
                WriterOf(abortInDoubt.TxId).Tell(new Abort(abortInDoubt.TxId), Self);
                break;
            case Read { Key: null }:
            case ReadKeys { Keys: null }:
                Sender.Tell(new Status.Failure(new ArgumentException("a read needs a key")));
                break;
            case Read read:
                Sender.Tell(_values.TryGet(read.Key, out var value)
                    ? new ReadResult(read.Key, true, value)
                    : new ReadResult(read.Key, false, null));
                break;
            case ReadKeys readKeys:
                var values = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
                foreach (var key in readKeys.Keys)
                    if (key is not null && _values.TryGet(key, out var keyValue))
                        values[key] = keyValue;
                Sender.Tell(new ReadKeysResult(values));
                break;
            case GetInDoubt:
                CollectInDoubt().PipeTo(Sender);
                break;
            case CompactNow:
                _compaction.Forward(message);
                break;
            case Terminated terminated:
                OnChildTerminated(terminated);
                break;
            case WriterFailed failed:
                OnWriterFailed(failed.Partition);
                break;
            case ITransactionReply reply:
                LogOwnReply(reply);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private IActorRef WriterOf(string txId) => _writers[PartitionHash.PartitionOf(txId, _writers.Length)];

    private void MakeVisible(CommitDurable durable)
    {
        _values.Apply(durable.Changes, durable.CommitOrder);
        durable.ReplyTo.Tell(new Committed(durable.TxId));
    }

    private async Task<InDoubtTransactions> CollectInDoubt()
    {
        var parts = await Task.WhenAll(_writers.Select(w => w.Ask<InDoubtTransactions>(GetInDoubt.Instance, InDoubtQueryTimeout)));
        return new InDoubtTransactions(parts.SelectMany(p => p.Transactions).OrderBy(t => t.TxId, StringComparer.Ordinal).ToArray());
    }

    private void OnChildTerminated(Terminated terminated)
    {
        if (terminated.ActorRef.Equals(_compaction))
        {
            _log.Warning("Compaction actor stopped after a failure; starting a new one");
            StartCompaction();
            return;
        }
        if (terminated.ActorRef.Equals(_recovery))
        {
            _log.Warning("Recovery actor stopped before it finished; recovering again");
            _recovery = null;
            StartRecovery();
            return;
        }
        var partition = Array.IndexOf(_writers, terminated.ActorRef);
        if (partition < 0)
            return;
        // Its last write may or may not be stored: only a replay of the journal knows, so the whole read model is
        // rebuilt once the writer is back. Commands wait (stashed) meanwhile.
        _log.Warning("Partition {0} writer stopped; restarting it in {1} and recovering", partition, WriterRestartDelay);
        OnWriterFailed(partition);
        Timers.StartSingleTimer("restart-" + partition, new RestartWriter(partition), WriterRestartDelay);
    }

    /// <summary>From now until the partition is recovered, commands are held (a stopping writer would drop them).</summary>
    private void OnWriterFailed(int partition)
    {
        _writersDown.Add(partition);
        Become(Recovering);
    }

    private void ApplyInDoubtPolicy(IReadOnlyList<InDoubtTransaction> inDoubt)
    {
        if (_settings.InDoubtPolicy != InDoubtPolicy.AbortAfterTimeout)
            return;
        var now = DateTimeOffset.UtcNow;
        foreach (var tx in inDoubt)
        {
            var due = tx.PreparedAt + _settings.InDoubtTimeout - now;
            // An Abort after the client decided is answered "already committed/aborted" and writes nothing.
            Timers.StartSingleTimer("in-doubt-" + tx.TxId, new AbortInDoubt(tx.TxId), due > TimeSpan.Zero ? due : TimeSpan.Zero);
        }
        if (inDoubt.Count > 0)
            _log.Info("In-doubt policy abort-after-timeout: {0} undecided transactions will be aborted {1} after their prepare",
                inDoubt.Count, _settings.InDoubtTimeout);
    }

    private void LogOwnReply(ITransactionReply reply)
    {
        if (reply is Aborted aborted)
            _log.Info("In-doubt tx '{0}' aborted by the timeout policy", aborted.TxId);
    }
}
