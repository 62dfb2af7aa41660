using Akka.Configuration;

namespace AkkaWal.Transactions.Tests;

/// <summary>
/// The journal and snapshot store every scenario test runs on, chosen here only. The pipeline is plain Akka.Persistence,
/// so switching stores is this config and nothing else. Default: the AkkaWal journal and snapshot store on real files
/// when the plugin is built into this test run; otherwise Akka's SharedMemoryJournal (survives an ActorSystem restart
/// in this process, not a process crash) with the local snapshot store. AKKAWAL_TX_TEST_STORES=wal|memory forces one.
/// </summary>
public static class TestStores
{
    public static bool WalAvailable { get; } =
        Type.GetType("AkkaWal.Persistence.Journal.WalJournal, AkkaWal.Persistence") is not null &&
        Type.GetType("AkkaWal.Persistence.Snapshot.WalSnapshotStore, AkkaWal.Persistence") is not null;

    public static bool UseWal { get; } = Environment.GetEnvironmentVariable("AKKAWAL_TX_TEST_STORES") switch
    {
        "wal" => true,
        "memory" => false,
        _ => WalAvailable,
    };

    public static Config Hocon(string directory) => UseWal ? TransactionsConfig.OnWal(directory) : Memory(directory);

    private static Config Memory(string directory) => ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.test-shared {
          class = "Akka.Persistence.Journal.SharedMemoryJournal, Akka.Persistence"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.local.dir = "{{Path.Combine(directory, "snapshots").Replace("\\", "\\\\")}}"
        akkawal.transactions {
          journal-plugin = "akka.persistence.journal.test-shared"
          snapshot-plugin = "akka.persistence.snapshot-store.local"
        }
        """);
}

/// <summary>A fact that needs the durable AkkaWal journal (a kill -9 test); skipped, saying why, when it is not built in.</summary>
public sealed class RequiresWalJournalFactAttribute : FactAttribute
{
    public RequiresWalJournalFactAttribute()
    {
        if (!TestStores.WalAvailable)
            Skip = "the AkkaWal journal (AkkaWal.Persistence.Journal.WalJournal) is not in this build; kill -9 needs a durable journal";
    }
}

/// <summary>A theory that needs the durable AkkaWal journal (a kill -9 test); skipped, saying why, when it is not built in.</summary>
public sealed class RequiresWalJournalTheoryAttribute : TheoryAttribute
{
    public RequiresWalJournalTheoryAttribute()
    {
        if (!TestStores.WalAvailable)
            Skip = "the AkkaWal journal (AkkaWal.Persistence.Journal.WalJournal) is not in this build; kill -9 needs a durable journal";
    }
}
