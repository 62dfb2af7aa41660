using Akka.Actor;

namespace AkkaWal.Transactions;

public static class TransactionsExtensions
{
    /// <summary>Starts the pipeline and returns its coordinator. Commands sent before recovery finishes are held.
    /// The system's config must include <see cref="TransactionsConfig.Default"/> (for the serializer binding).</summary>
    public static IActorRef StartTransactions(this ActorSystem system, string name = "transactions") =>
        system.ActorOf(TransactionCoordinator.Props(TransactionSettings.Create(system)), name);
}
