using Akka.Hosting;
using AkkaWal.Transactions;

namespace AkkaWal.Transactions.Hosting;

/// <summary>Akka.Hosting extensions for the AkkaWal atomic-commit pipeline.</summary>
public static class TransactionsHostingExtensions
{
    /// <summary>
    /// Starts the atomic-commit pipeline when the ActorSystem starts: the <see cref="TransactionCoordinator"/> with its
    /// WAL-writers, compaction and recovery actors. The coordinator is registered in the ActorRegistry, so host code
    /// gets it with <c>registry.GetAsync&lt;TransactionCoordinator&gt;()</c> (or <c>IRequiredActor&lt;TransactionCoordinator&gt;</c>).
    /// Commands sent before recovery finishes are held by the coordinator, never dropped.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="configure">Sets the <c>akkawal.transactions</c> keys that differ from the configuration below.</param>
    public static AkkaConfigurationBuilder WithAkkaWalTransactions(this AkkaConfigurationBuilder builder,
        Action<AkkaWalTransactionsOptions>? configure = null)
    {
        var options = new AkkaWalTransactionsOptions();
        configure?.Invoke(options);
        builder.AddHocon(options.ToConfig(), HoconAddMode.Prepend);
        // The defaults carry the serializer binding, which must be in the config before the system starts.
        builder.AddHocon(TransactionsConfig.Default, HoconAddMode.Append);
        builder.WithActors((system, registry) =>
        {
            var coordinator = system.StartTransactions(options.ActorName);
            registry.Register<TransactionCoordinator>(coordinator);
        });
        return builder;
    }
}
