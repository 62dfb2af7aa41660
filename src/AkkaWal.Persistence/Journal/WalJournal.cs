using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace AkkaWal.Persistence.Journal;

/// <summary>
/// The Akka.Persistence journal on the AkkaWal log (`akka.persistence.journal.wal`). Appends go to the engine's writer
/// thread (group commit across all persistent actors); replays read the index and then only the id's records, on
/// the replay dispatcher; deletes are one durable marker; compaction runs on a schedule.
/// </summary>
public sealed class WalJournal : AsyncWriteJournal, IWithTimers
{
    /// <summary>Ask the journal to compact now (regardless of the dead-bytes threshold); replies <see cref="CompactionDone"/>,
    /// or <see cref="CompactionSkipped"/> when another compaction is in progress.</summary>
    public sealed class Compact
    {
        /// <summary>The one instance.</summary>
        public static readonly Compact Instance = new();
        private Compact() { }
    }

    /// <summary>Reply to <see cref="Compact"/>: bytes of dead records removed (0 when nothing ran).</summary>
    public sealed record CompactionDone(long DeadBytesBefore, long DeadBytesAfter);

    /// <summary>Reply to <see cref="Compact"/> when no compaction ran, with the reason.</summary>
    public sealed record CompactionSkipped(string Reason);

    private sealed class CompactionTick
    {
        public static readonly CompactionTick Instance = new();
    }

    private readonly JournalStore _store;
    private readonly MessageDispatcher _replayDispatcher;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly WriteMessagesPath _writes;

    /// <summary>Created by Akka.Persistence from the plugin's <paramref name="config"/> section.</summary>
    public WalJournal(Config config)
    {
        // Injects reference.conf as fallback (if nobody did yet) and owns the store the read journal shares.
        var extension = WalPersistence.Get(Context.System);
        var pluginId = Self.Path.Name;
        _store = extension.Journal(pluginId);
        var replayDispatcherId = config.GetString("replay-dispatcher", null);
        _replayDispatcher = string.IsNullOrEmpty(replayDispatcherId) || !Context.System.Dispatchers.HasDispatcher(replayDispatcherId)
            ? Context.Dispatcher
            : Context.System.Dispatchers.Lookup(replayDispatcherId);
        _writes = new WriteMessagesPath(_store, Self, Akka.Persistence.Persistence.Instance.Apply(Context.System).AdaptersFor(pluginId), AdaptToJournal);
    }

    /// <summary>WriteMessages take the fast path (see <see cref="WriteMessagesPath"/>); everything else the base's.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is WriteMessages write)
        {
            _writes.Handle(write);
            return true;
        }
        return base.AroundReceive(receive, message);
    }

    /// <inheritdoc/>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc/>
    protected override void PreStart()
    {
        base.PreStart();
        if (_store.Settings.CompactionInterval is { } interval)
            Timers.StartPeriodicTimer(nameof(CompactionTick), CompactionTick.Instance, interval);
    }

    /// <summary>Unhealthy once the log failed (an fsync or write error: it refuses every later append); else healthy.</summary>
    public override Task<PersistenceHealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var status = _store.Status();
        var data = new Dictionary<string, object>
        {
            ["directory"] = status.Directory,
            ["durableEnd"] = status.DurableEnd,
            ["segments"] = status.Segments,
        };
        return Task.FromResult(status.Failure is null
            ? new PersistenceHealthCheckResult(PersistenceHealthStatus.Healthy, "the log is writing", null, data)
            : new PersistenceHealthCheckResult(PersistenceHealthStatus.Unhealthy,
                $"the log failed and stopped writing: {status.Failure.Message}", status.Failure, data));
    }

    /// <summary>Not reached by WriteMessages (they take the fast path); kept for the base class's contract.</summary>
    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
        => (await _store.WriteAsync(messages.ToList()).ConfigureAwait(false))!;

    /// <inheritdoc/>
    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr,
        long max, Action<IPersistentRepresentation> recoveryCallback)
    {
        var timeout = _store.Settings.ReplayTimeout;
        return DispatcherWork.RunAsync(_replayDispatcher, () =>
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                _store.Replay(persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback, cancel.Token);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"replay of [{persistenceId}] from {fromSequenceNr} to {toSequenceNr} exceeded {_store.Settings.PluginId}.replay-timeout ({timeout})");
            }
        });
    }

    /// <inheritdoc/>
    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
        => _store.ReadHighestSequenceNrAsync(persistenceId);

    /// <inheritdoc/>
    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
        => _store.DeleteMessagesToAsync(persistenceId, toSequenceNr);

    /// <inheritdoc/>
    protected override bool ReceivePluginInternal(object message)
    {
        switch (message)
        {
            case CompactionTick:
                RunCompaction(force: false, replyTo: null);
                return true;
            case Compact:
                RunCompaction(force: true, replyTo: Sender);
                return true;
            default:
                return false;
        }
    }

    private void RunCompaction(bool force, IActorRef? replyTo)
    {
        var before = _store.DeadBytes;
        var log = _log;
        _store.CompactAsync(force).ContinueWith(t =>
        {
            object reply;
            if (t.IsFaulted)
            {
                log.Error(t.Exception!.GetBaseException(), "compaction of {0} failed", _store.Settings.Directory);
                reply = new Status.Failure(t.Exception!.GetBaseException());
            }
            else if (t.Result.SkippedBecause is { } reason) reply = new CompactionSkipped(reason);
            else
            {
                log.Info("compacted {0}: dead bytes {1} -> {2}", _store.Settings.Directory, before, _store.DeadBytes);
                reply = new CompactionDone(before, _store.DeadBytes);
            }
            replyTo?.Tell(reply);
        }, TaskScheduler.Default);
    }
}
