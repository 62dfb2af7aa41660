using Akka.Hosting;
using Akka.Persistence.Hosting;
using AkkaWal.Persistence.Hosting;
using AkkaWal.Transactions.Hosting;

namespace AkkaWal.Hosting.TestKit.Tests;

/// <summary>The one Akka.Hosting set-up every host in these tests uses: our two extensions on a data directory.</summary>
public static class WalHost
{
    /// <summary>Generous bound for host start-up and for each ask; the machine running the tests may be heavily loaded.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public const int Partitions = 4;

    public static AkkaConfigurationBuilder Configure(AkkaConfigurationBuilder builder, string dataDirectory,
        Action<AkkaPersistenceJournalBuilder>? journal = null) =>
        builder
            .WithWalPersistence(dataDirectory, journalBuilder: journal)
            .WithAkkaWalTransactions(o => o.Partitions = Partitions);
}
