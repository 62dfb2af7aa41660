using Akka.Actor;
using Akka.Event;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions;

/// <summary>
/// The entry point: send it the <see cref="ITransactionCommand"/>s; it answers each with an <see cref="ITransactionReply"/>
/// (or a <see cref="Status.Failure"/> when the pipeline cannot start, see <see cref="AwaitLayoutChecked"/>). Start it with
/// <see cref="TransactionsExtensions.StartTransactions"/> (or Akka.Hosting's <c>WithAkkaWalTransactions</c>, which
/// registers it in the ActorRegistry under this type, for <c>IRequiredActor&lt;TransactionCoordinator&gt;</c>).
/// A thin router and driver without state of its own (besides a best-effort route cache): it validates input (nothing
/// invalid reaches a partition), sends each share to the partition that owns its keys, and drives multi-partition
/// transactions. Single-partition transactions are forwarded and answered by their partition. Every request to a partition
/// that a client waits on goes through <see cref="PartitionRequests"/>, which sends it again until it is answered (or
/// <c>internal-ask-timeout</c> passes). Until the layout
/// is checked and every partition has recovered, requests wait in a bounded queue; when it is full they are refused at
/// once (and never run).
/// </summary>
public sealed class TransactionCoordinator : UntypedActor
{
    private readonly TransactionSettings _settings;
    private readonly IActorRef _partitions;
    private readonly PartitionRequests.Ledger _ledger;
    private IActorRef _requests;
    private readonly TransactionDriver _driver;
    private readonly TransactionLocator _locator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<(object Message, IActorRef Sender)> _waiting = [];
    private readonly List<IActorRef> _awaitingLayout = [];
    private IActorRef _compaction = ActorRefs.Nobody;
    private LayoutChecked? _layout;
    private string? _failure;

    /// <summary>Akka creates it from its Props (see <see cref="TransactionsExtensions.StartTransactions"/>); never call it directly.</summary>
    /// <param name="settings">The validated <c>akkawal.transactions</c> section.</param>
    /// <param name="partitions">The partitions seam: the one actor every partition message goes to.</param>
    public TransactionCoordinator(TransactionSettings settings, IActorRef partitions)
    {
        _settings = settings;
        _partitions = partitions;
        _locator = new TransactionLocator(settings.LocatorCacheSize);
        _ledger = new PartitionRequests.Ledger(settings.MaxOutstandingRequests);
        _requests = StartRequests();
        _driver = new TransactionDriver(() => _requests, settings, _locator);
    }

    internal static Props Props(TransactionSettings settings, IActorRef partitions) =>
        Akka.Actor.Props.Create(() => new TransactionCoordinator(settings, partitions));

    /// <summary>Attempts at the layout check; see <see cref="CheckLayout"/>.</summary>
    private const int LayoutAttempts = 3;

    private int _layoutAttempt;

    /// <inheritdoc/>
    protected override void PreStart()
    {
        CheckLayout();
        StartCompaction();
    }

    /// <summary>
    /// Several coordinators (one per cluster node) may check the layout at once: on an empty database two of them may
    /// both try to record it, and the shared journal refuses the second write (same persistence id and sequence nr), which
    /// stops that layout actor. A fresh actor then recovers the recorded number and compares; the check is idempotent.
    /// </summary>
    private void CheckLayout()
    {
        _layoutAttempt++;
        var layout = Context.ActorOf(PartitionLayoutActor.Props(_settings), "layout-" + _layoutAttempt);
        layout.Ask<LayoutChecked>(new CheckLayout(_settings.Partitions), _settings.InternalAskTimeout).PipeTo(Self);
    }

    /// <inheritdoc/>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private IActorRef StartRequests()
    {
        var requests = Context.ActorOf(PartitionRequests.Props(_settings, _partitions, _ledger));
        Context.Watch(requests);
        return requests;
    }

    private void StartCompaction()
    {
        _compaction = Context.ActorOf(CompactionActor.Props(_settings, _partitions), "compaction");
        Context.Watch(_compaction);
    }

    /// <inheritdoc/>
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case LayoutChecked { Error: { } error } refused:
                Fail(error, refused);
                break;
            case LayoutChecked checkedLayout:
                AnswerLayout(checkedLayout);
                Context.Watch(Context.ActorOf(RecoveryActor.Props(_partitions, _settings.Partitions), "recovery"));
                break;
            case Status.Failure when _layoutAttempt < LayoutAttempts: // the layout actor stopped or did not answer
                CheckLayout();
                break;
            case Status.Failure failure: // the layout journal did not answer
                Fail($"the partition layout could not be read: {failure.Cause.Message}");
                break;
            case RecoveryActor.Finished:
                Become(Ready);
                foreach (var (waiting, sender) in _waiting)
                    Self.Tell(waiting, sender);
                _waiting.Clear();
                break;
            case Terminated terminated:
                OnChildTerminated(terminated);
                break;
            case AwaitLayoutChecked when _layout is not null:
                Sender.Tell(_layout);
                break;
            case AwaitLayoutChecked:
                _awaitingLayout.Add(Sender);
                break;
            case ITransactionCommand when _failure is not null:
                Sender.Tell(new Status.Failure(new Akka.Configuration.ConfigurationException(_failure)));
                break;
            case ITransactionCommand when _waiting.Count >= _settings.RecoveryStashLimit:
                Sender.Tell(new TransactionRejected((message as ITransactionIdCommand)?.TxId ?? "", RejectionReason.Unavailable,
                    $"the service is recovering and {_waiting.Count} requests wait (recovery-stash-limit); this one was not accepted and will not run"));
                break;
            case ITransactionCommand:
                _waiting.Add((message, Sender));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void AnswerLayout(LayoutChecked layout)
    {
        _layout = layout;
        foreach (var asker in _awaitingLayout)
            asker.Tell(layout);
        _awaitingLayout.Clear();
    }

    private void Fail(string error, LayoutChecked? refused = null)
    {
        _failure = error;
        AnswerLayout(refused ?? new LayoutChecked(_settings.Partitions, error));
        _log.Error("Transactions cannot start: {0}", error);
        foreach (var (_, sender) in _waiting)
            sender.Tell(new Status.Failure(new Akka.Configuration.ConfigurationException(error)));
        _waiting.Clear();
    }

    private void Ready(object message)
    {
        switch (message)
        {
            case Prepare prepare: OnPrepare(prepare); break;
            case AwaitLayoutChecked: Sender.Tell(_layout); break;
            case Commit commit: OnDecide(commit.TxId, commit: true); break;
            case Abort abort: OnDecide(abort.TxId, commit: false); break;
            case GetTransaction get:
                if (TransactionRules.CheckTxId(get.TxId) is { } badGet)
                    Sender.Tell(badGet);
                else
                    _driver.InfoAsync(get.TxId).PipeTo(Sender);
                break;
            case GetInDoubt:
                _driver.InDoubtAsync().PipeTo(Sender);
                break;
            case Read { Key: null }:
            case ReadKeys { Keys: null }:
                Sender.Tell(new Status.Failure(new ArgumentException("a read needs a key")));
                break;
            case Read read:
                _driver.ReadAsync([read.Key]).ContinueWith(t =>
                {
                    var r = t.Result[0];
                    return (object)new ReadResult(read.Key, r.Version > 0, r.Version > 0 ? r.Value : null, r.Version);
                }, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously).PipeTo(Sender);
                break;
            case ReadKeys readKeys:
                _driver.ReadAsync(readKeys.Keys.Where(k => k is not null).ToArray()).ContinueWith(t =>
                {
                    var found = t.Result.Where(r => r.Version > 0).ToArray();
                    return (object)new ReadKeysResult(found.ToDictionary(r => r.Key, r => r.Value!.Value, StringComparer.Ordinal),
                        found.ToDictionary(r => r.Key, r => r.Version, StringComparer.Ordinal));
                }, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously).PipeTo(Sender);
                break;
            case CompactNow:
                _compaction.Forward(message);
                break;
            case Terminated terminated:
                OnChildTerminated(terminated);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnPrepare(Prepare prepare)
    {
        var expect = prepare.Expect ?? new Dictionary<string, long>();
        if ((TransactionRules.CheckTxId(prepare.TxId) ??
             TransactionRules.CheckChanges(prepare.TxId, prepare.Changes, _settings.MaxChangesBytes) ??
             TransactionRules.CheckExpect(prepare.TxId, expect)) is { } invalid)
        {
            Sender.Tell(invalid);
            return;
        }
        var (route, shares) = TransactionRoute.Of(prepare.TxId, prepare.Changes, expect, _settings.Partitions);
        if (route.SinglePartition)
        {
            // Fast path: the partition answers the client itself.
            _locator.Remember(prepare.TxId, route);
            var (changes, expected) = shares[route.Home];
            PartitionRequests.Send(_ledger, _requests, _partitions, new PartitionEnvelope(route.Home,
                new PrepareShare(prepare.TxId, route.Home, route.Participants, changes, expected, Guid.NewGuid())), Sender);
            return;
        }
        _driver.PrepareAsync(prepare.TxId, route, shares).PipeTo(Sender);
    }

    private void OnDecide(string txId, bool commit)
    {
        if (TransactionRules.CheckTxId(txId) is { } invalid)
        {
            Sender.Tell(invalid);
            return;
        }
        if (_locator.Find(txId) is { SinglePartition: true } route)
        {
            _locator.Forget(txId);
            PartitionRequests.Send(_ledger, _requests, _partitions, new PartitionEnvelope(route.Home, new DecideTransaction(txId, commit, route.Participants)), Sender);
            return;
        }
        _driver.DecideAsync(txId, commit).PipeTo(Sender);
    }

    private void OnChildTerminated(Terminated terminated)
    {
        if (terminated.ActorRef.Equals(_requests))
        {
            // Its askers are not told; clients time out and ask GetTransaction, as when a node stops.
            _log.Error("The partition requests actor stopped after a failure; starting a new one");
            _requests = StartRequests();
            return;
        }
        if (!terminated.ActorRef.Equals(_compaction))
            return;
        _log.Warning("Compaction actor stopped after a failure; starting a new one");
        StartCompaction();
    }
}
