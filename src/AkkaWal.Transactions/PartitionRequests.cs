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
/// </summary>
internal sealed class PartitionRequests : UntypedActor, IWithTimers
{
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
    private long _lastId;

    public PartitionRequests(TransactionSettings settings, IActorRef partitions)
    {
        _settings = settings;
        _partitions = partitions;
        _intervalMs = Math.Max(1, (long)settings.RedeliveryInterval.TotalMilliseconds);
        _timeoutMs = Math.Max(1, (long)settings.InternalAskTimeout.TotalMilliseconds);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TransactionSettings settings, IActorRef partitions) =>
        Akka.Actor.Props.Create(() => new PartitionRequests(settings, partitions));

    /// <summary>Granularity of redelivery and give-up: a quarter of the interval (between 10 ms and 1 s), so a request is
    /// sent again between 1 and 1.25 intervals after the previous delivery.</summary>
    internal static TimeSpan TickOf(TimeSpan interval) =>
        TimeSpan.FromTicks(Math.Clamp(interval.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));

    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, TickOf(_settings.RedeliveryInterval));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case PartitionEnvelope envelope: OnRequest(envelope); break;
            case PartitionAnswer answer: OnAnswer(answer); break;
            case Tick: OnTick(); break;
            default: Unhandled(message); break;
        }
    }

    private void OnRequest(PartitionEnvelope envelope)
    {
        if (_outstanding.Count >= _settings.MaxOutstandingRequests)
        {
            Sender.Tell(new TransactionRejected(TxIdOf(envelope.Message), RejectionReason.Unavailable,
                $"{_outstanding.Count} requests to partitions wait for an answer (max-outstanding-requests); this one was not sent and will not run"));
            return;
        }
        var now = Environment.TickCount64;
        var request = new Outstanding(envelope, Sender, now) { DueAt = now + _intervalMs };
        var id = ++_lastId;
        _outstanding[id] = request;
        Deliver(id, request);
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
        request.Asker.Tell(answer.Answer);
    }

    private void OnTick()
    {
        var now = Environment.TickCount64;
        foreach (var (id, request) in _outstanding)
            if (request.DueAt <= now || now - request.FirstSent >= _timeoutMs)
                _due.Add(id);
        foreach (var id in _due)
        {
            var request = _outstanding[id];
            if (now - request.FirstSent >= _timeoutMs)
            {
                _outstanding.Remove(id);
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
        }
        if (_due.Count > 0)
            _log.Info("Sent {0} requests to partitions again (no answer within {1} ms); {2} wait", _due.Count, _intervalMs, _outstanding.Count);
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
