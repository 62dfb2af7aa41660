using Akka.Actor;

namespace AkkaWal.Transactions;

public static class TransactionsExtensions
{
    /// <summary>Starts the pipeline and returns its coordinator: the partitions seam (<see cref="PartitionRegion"/>, one
    /// actor that owns the partition actors) and the coordinator that routes to it. Commands sent before recovery finishes
    /// wait (up to <c>recovery-stash-limit</c>). The system's config must include <see cref="TransactionsConfig.Default"/>
    /// (for the serializer binding).</summary>
    public static IActorRef StartTransactions(this ActorSystem system, string name = "transactions")
    {
        var settings = TransactionSettings.Create(system);
        var partitions = system.ActorOf(PartitionRegion.Props(settings), name + "-partitions");
        return system.ActorOf(TransactionCoordinator.Props(settings, partitions), name);
    }
}
