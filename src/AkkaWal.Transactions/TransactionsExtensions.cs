using Akka.Actor;

namespace AkkaWal.Transactions;

/// <summary>Starts the pipeline on a plain <see cref="ActorSystem"/> (Akka.Hosting users call
/// <c>WithAkkaWalTransactions</c> from AkkaWal.Transactions.Hosting instead).</summary>
public static class TransactionsExtensions
{
    /// <summary>Starts the pipeline and returns its coordinator: the partitions seam (one top-level actor,
    /// <c>name-partitions</c>, that owns the partition actors) and the <see cref="TransactionCoordinator"/> that routes
    /// to it. Commands sent before recovery finishes wait (up to <c>recovery-stash-limit</c>). The system's config must
    /// include <see cref="TransactionsConfig.Default"/> (for the serializer binding); a bad
    /// <c>akkawal.transactions</c> section throws here, naming every bad key.</summary>
    /// <param name="system">The actor system to start it in.</param>
    /// <param name="name">The coordinator's actor name.</param>
    /// <returns>The coordinator: send it the <see cref="Protocol.ITransactionCommand"/>s and <see cref="Protocol.AwaitLayoutChecked"/>.</returns>
    public static IActorRef StartTransactions(this ActorSystem system, string name = "transactions")
    {
        var settings = TransactionSettings.Create(system);
        var partitions = system.ActorOf(PartitionRegion.Props(settings), name + "-partitions");
        return system.ActorOf(TransactionCoordinator.Props(settings, partitions), name);
    }
}
