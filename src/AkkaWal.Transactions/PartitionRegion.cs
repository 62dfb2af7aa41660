using Akka.Actor;
using Akka.Event;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions;

/// <summary>
/// The partitions seam, in one process: receives every <see cref="PartitionEnvelope"/> and forwards its message (with the
/// original sender) to the partition's actor, started on first use. A partition that stopped after a journal failure is
/// started again by the next message; messages that arrive while it stops are held (at most <c>recovery-stash-limit</c>)
/// and delivered to the new incarnation. A cluster deployment replaces this actor with a shard region whose message
/// extractor reads <see cref="PartitionEnvelope.Partition"/>; nothing else changes.
/// </summary>
internal sealed class PartitionRegion : ReceiveActor
{
    private readonly TransactionSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<int, IActorRef> _running = [];
    private readonly Dictionary<int, List<(ITransactionsMessage Message, IActorRef Sender)>> _held = [];

    public PartitionRegion(TransactionSettings settings)
    {
        _settings = settings;
        Receive<PartitionEnvelope>(OnEnvelope);
        Receive<PartitionActor.PartitionStopping>(stopping => _held.TryAdd(stopping.Partition, []));
        Receive<Terminated>(OnTerminated);
    }

    public static Props Props(TransactionSettings settings) => Akka.Actor.Props.Create(() => new PartitionRegion(settings));

    /// <summary>A partition actor fails alone: it stops (never restarts in place, which would drop its write handlers)
    /// and is started again from its journal.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void OnEnvelope(PartitionEnvelope envelope)
    {
        if (envelope.Partition < 0 || envelope.Partition >= _settings.Partitions)
        {
            _log.Error("Message for partition {0}, which does not exist (partitions = {1}): {2}", envelope.Partition, _settings.Partitions, envelope.Message);
            return;
        }
        if (_held.TryGetValue(envelope.Partition, out var held))
        {
            if (held.Count < Math.Max(1, _settings.RecoveryStashLimit))
                held.Add((envelope.Message, Sender));
            else
                _log.Warning("Partition {0} is restarting and {1} messages wait; dropping {2}", envelope.Partition, held.Count, envelope.Message.GetType().Name);
            return;
        }
        PartitionRef(envelope.Partition).Tell(envelope.Message, Sender);
    }

    private IActorRef PartitionRef(int partition)
    {
        if (_running.TryGetValue(partition, out var running))
            return running;
        var started = Context.ActorOf(PartitionActor.Props(partition, _settings, Self), "partition-" + partition);
        Context.Watch(started);
        _running[partition] = started;
        return started;
    }

    private void OnTerminated(Terminated terminated)
    {
        var partition = _running.FirstOrDefault(p => p.Value.Equals(terminated.ActorRef)).Key;
        if (!_running.Remove(partition))
            return;
        _log.Warning("Partition {0} stopped; starting it again from its journal", partition);
        if (!_held.Remove(partition, out var held))
            return;
        var restarted = PartitionRef(partition);
        foreach (var (message, sender) in held)
            restarted.Tell(message, sender);
    }
}
