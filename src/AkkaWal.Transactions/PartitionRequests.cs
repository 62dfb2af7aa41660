using Akka.Actor;
using Akka.Event;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions;

/// <summary>
/// The coordinator's partitions seam with at-least-once delivery: takes a <see cref="PartitionEnvelope"/> from whoever
/// waits for its answer, sends it to the partitions as a <see cref="PartitionRequest"/> and forwards the first
/// <see cref="PartitionAnswer"/> to the asker. A request not answered within <c>redelivery-interval</c> is sent again
/// (Cluster.Sharding drops messages in flight to a shard that is handed off), and so is one answered
/// <see cref="WriteOutcomeUnknown"/> by a partition that stopped (its next incarnation knows the outcome). Partitions
/// treat a repeat as the same request (a prepare carries its request id), so a repeat changes nothing twice. After
/// <c>internal-ask-timeout</c> without an answer the asker hears the outcome is unknown. One dictionary and one
/// periodic timer for all requests; at most <c>max-outstanding-requests</c> wait, beyond that a request is refused.
/// The coordinator's single-partition fast path sends its request itself (<see cref="Send"/>) so that the request does
/// not wait for this actor's turn on its way out; only the answer comes through here.
/// </summary>
internal sealed class PartitionRequests : UntypedActor, IWithTimers
{
    /// <summary>Request ids and the number of requests awaiting an answer, shared by the coordinator (which sends its
    /// fast-path requests itself) and this actor, in one process.</summary>
    internal sealed class Ledger(int limit)
    {
        private long _lastId;
        private int _outstanding;

        public int Outstanding => Volatile.Read(ref _outstanding);

        /// <summary>A new request id, or null when <c>max-outstanding-requests</c> wait already.</summary>
        public long? TryStart()
        {
            if (Interlocked.Increment(ref _outstanding) <= limit)
                return Interlocked.Increment(ref _lastId);
            Interlocked.Decrement(ref _outstanding);
            return null;
        }

        public void Finish(int count = 1) => Interlocked.Add(ref _outstanding, -count);
    }

    /// <summary>Local only: the coordinator sent request <paramref name="Id"/> itself; track it for its asker.</summary>
    internal sealed record Track(long Id, PartitionEnvelope Envelope) : INoSerializationVerificationNeeded;

    /// <summary>Sends a request to the partitions now and has <paramref name="requests"/> track it: the answer goes
    /// to <paramref name="asker"/> through it. Track is enqueued before the request leaves, so it is handled before the
    /// answer can arrive.</summary>
    internal static void Send(Ledger ledger, IActorRef requests, IActorRef partitions, PartitionEnvelope envelope, IActorRef asker)
    {
        if (ledger.TryStart() is not { } id)
        {
            asker.Tell(Refusal(envelope, ledger.Outstanding));
            return;
        }
        requests.Tell(new Track(id, envelope), asker);
        partitions.Tell(new PartitionEnvelope(envelope.Partition, new PartitionRequest(id, envelope.Message)), requests);
    }

    private static TransactionRejected Refusal(PartitionEnvelope envelope, int outstanding) =>
        new(TxIdOf(envelope.Message), RejectionReason.Unavailable,
            $"{outstanding} requests to partitions wait for an answer (max-outstanding-requests); this one was not sent and will not run");

    private sealed class Outstanding(PartitionEnvelope envelope, IActorRef asker, long now)
    {
        public readonly PartitionEnvelope Envelope = envelope;
        public readonly IActorRef Asker = asker;
        public readonly long FirstSent = now;
        public long DueAt;
        public int Deliveries = 1;
        public string? Unknown;
    }

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private readonly TransactionSettings _settings;
    private readonly IActorRef _partitions;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<long, Outstanding> _outstanding = [];
    private readonly List<long> _due = [];
    private readonly long _intervalMs;
    private readonly long _timeoutMs;
    private readonly Ledger _ledger;

    public PartitionRequests(TransactionSettings settings, IActorRef partitions, Ledger ledger)
    {
        _settings = settings;
        _partitions = partitions;
        _ledger = ledger;
        _intervalMs = Math.Max(1, (long)settings.RedeliveryInterval.TotalMilliseconds);
        _timeoutMs = Math.Max(1, (long)settings.InternalAskTimeout.TotalMilliseconds);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TransactionSettings settings, IActorRef partitions, Ledger ledger) =>
        Akka.Actor.Props.Create(() => new PartitionRequests(settings, partitions, ledger));

    /// <summary>Granularity of redelivery and give-up: a quarter of the interval (between 10 ms and 1 s), so a request is
    /// sent again between 1 and 1.25 intervals after the previous delivery.</summary>
    internal static TimeSpan TickOf(TimeSpan interval) =>
        TimeSpan.FromTicks(Math.Clamp(interval.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));

    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, TickOf(_settings.RedeliveryInterval));

    /// <summary>Its askers are not told (clients time out and ask GetTransaction, as when a node stops); the requests
    /// no longer count against the limit.</summary>
    protected override void PostStop() => _ledger.Finish(_outstanding.Count);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Track track: Start(track.Id, track.Envelope); break;
            case PartitionEnvelope envelope: OnRequest(envelope); break;
            case PartitionAnswer answer: OnAnswer(answer); break;
            case Tick: OnTick(); break;
            default: Unhandled(message); break;
        }
    }

    private void OnRequest(PartitionEnvelope envelope)
    {
        if (_ledger.TryStart() is not { } id)
        {
            Sender.Tell(Refusal(envelope, _ledger.Outstanding));
            return;
        }
        Deliver(id, Start(id, envelope));
    }

    private Outstanding Start(long id, PartitionEnvelope envelope)
    {
        var now = Environment.TickCount64;
        var request = new Outstanding(envelope, Sender, now) { DueAt = now + _intervalMs };
        _outstanding[id] = request;
        return request;
    }

    private void Deliver(long id, Outstanding request) =>
        _partitions.Tell(new PartitionEnvelope(request.Envelope.Partition, new PartitionRequest(id, request.Envelope.Message)), Self);

    private void OnAnswer(PartitionAnswer answer)
    {
        if (!_outstanding.TryGetValue(answer.Id, out var request))
            return; // a second answer (to a redelivery, or after the first), or one after the asker was told unknown
        if (answer.Answer is WriteOutcomeUnknown unknown)
        {
            // The partition stopped (hand-off, journal failure) before it could tell; its next incarnation, recovered from
            // the journal, answers the same request with the outcome. Ask it at the next tick.
            request.Unknown = unknown.Message;
            request.DueAt = Environment.TickCount64;
            return;
        }
        _outstanding.Remove(answer.Id);
        _ledger.Finish();
        request.Asker.Tell(answer.Answer);
    }

    private void OnTick()
    {
        var now = Environment.TickCount64;
        var resent = 0;
        foreach (var (id, request) in _outstanding)
            if (request.DueAt <= now || now - request.FirstSent >= _timeoutMs)
                _due.Add(id);
        foreach (var id in _due)
        {
            var request = _outstanding[id];
            if (now - request.FirstSent >= _timeoutMs)
            {
                _outstanding.Remove(id);
                _ledger.Finish();
                var message = request.Envelope.Message;
                request.Asker.Tell(new WriteOutcomeUnknown(TxIdOf(message),
                    $"partition {request.Envelope.Partition} did not answer {message.GetType().Name} within " +
                    $"{_settings.InternalAskTimeout.TotalSeconds:F0} s ({request.Deliveries} deliveries)" +
                    (request.Unknown is null ? "" : $"; last: {request.Unknown}")));
                continue;
            }
            request.Deliveries++;
            request.DueAt = now + _intervalMs;
            Deliver(id, request);
            resent++;
        }
        if (_due.Count > 0)
            _log.Info("Sent {0} requests to partitions again and gave up on {1} (outcome unknown); {2} wait", resent, _due.Count - resent, _outstanding.Count);
        _due.Clear();
    }

    /// <summary>The transaction a request to a partition is about; "" for those about keys or the whole partition.</summary>
    internal static string TxIdOf(ITransactionsMessage message) => message switch
    {
        PrepareShare m => m.TxId,
        DecideTransaction m => m.TxId,
        ApplyDecision m => m.TxId,
        FindShare m => m.TxId,
        GetDecision m => m.TxId,
        _ => "",
    };
}
