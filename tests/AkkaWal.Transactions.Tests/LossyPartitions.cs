using Akka.Actor;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Tests;

/// <summary>What the fault-injection seam loses of a message's first delivery.</summary>
public enum Loss
{
    /// <summary>Nothing: it passes.</summary>
    None,
    /// <summary>The request, on its way to the partition (as Cluster.Sharding drops it during a hand-off).</summary>
    Request,
    /// <summary>The partition's answer, on its way back: the partition did the work, the asker never heard.</summary>
    Answer,
}

/// <summary>
/// A fault-injection seam between a coordinator and the real partitions (a real <see cref="PartitionRegion"/>, real
/// journal and files): the first delivery of each message that <paramref name="rule"/> picks (per partition, message type
/// and tx id) loses its request or its answer; every other message passes unchanged. Each loss is reported to
/// <paramref name="observer"/> as a <see cref="Lost"/>, so a test knows the fault really happened.
/// </summary>
internal sealed class LossyPartitions : ReceiveActor
{
    public sealed record Lost(int Partition, string Message, string TxId, Loss Loss);

    private readonly HashSet<string> _struck = [];
    private readonly Dictionary<long, (IActorRef Asker, Lost? LoseAnswer)> _asked = [];

    public LossyPartitions(IActorRef partitions, Func<int, ITransactionsMessage, Loss> rule, IActorRef observer)
    {
        Receive<PartitionEnvelope>(envelope =>
        {
            var request = envelope.Message as PartitionRequest;
            var message = request?.Message ?? envelope.Message;
            var loss = rule(envelope.Partition, message);
            var lost = new Lost(envelope.Partition, message.GetType().Name, PartitionRequests.TxIdOf(message), loss);
            if (loss == Loss.None || !_struck.Add($"{lost.Partition}/{lost.Message}/{lost.TxId}"))
                lost = null;
            if (lost is { Loss: Loss.Request })
            {
                observer.Tell(lost);
                return;
            }
            if (request is null)
            {
                partitions.Forward(envelope); // answers go straight to the asker: only requests can be lost
                return;
            }
            _asked.TryAdd(request.Id, (Sender, lost)); // a redelivery keeps the first delivery's fate
            partitions.Tell(envelope, Self);
        });
        Receive<PartitionAnswer>(answer =>
        {
            if (!_asked.TryGetValue(answer.Id, out var asked))
                return;
            if (asked.LoseAnswer is { } lost)
            {
                _asked[answer.Id] = (asked.Asker, null); // only the first answer to the first delivery is lost
                observer.Tell(lost);
                return;
            }
            asked.Asker.Tell(answer);
        });
    }

    public static Props Props(IActorRef partitions, Func<int, ITransactionsMessage, Loss> rule, IActorRef observer) =>
        Akka.Actor.Props.Create(() => new LossyPartitions(partitions, rule, observer));
}
