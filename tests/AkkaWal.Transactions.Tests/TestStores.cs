using Akka.Configuration;

namespace AkkaWal.Transactions.Tests;

/// <summary>
/// The journal and snapshot store every scenario test runs on, chosen here only. The pipeline is plain Akka.Persistence,
/// so switching stores is this config and nothing else.
/// </summary>
public static class TestStores
{
    public static Config Hocon(string directory) => ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.test-shared {
          # Static storage: survives an ActorSystem restart inside the test process (not a process crash).
          class = "Akka.Persistence.Journal.SharedMemoryJournal, Akka.Persistence"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.local.dir = "{{Escape(Path.Combine(directory, "snapshots"))}}"
        akkawal.transactions {
          journal-plugin = "akka.persistence.journal.test-shared"
          snapshot-plugin = "akka.persistence.snapshot-store.local"
        }
        """);

    private static string Escape(string path) => path.Replace("\\", "\\\\");
}
