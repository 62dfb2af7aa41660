using Akka.Configuration;
using AkkaWal.Persistence;

namespace AkkaWal.Transactions;

/// <summary>The pipeline's HOCON defaults, including the serializer binding. Put it in the ActorSystem's config
/// (as a fallback) before the system starts: serializer bindings are read once at start.</summary>
public static class TransactionsConfig
{
    public const string Hocon = """
        akkawal.transactions {
          # Journal and snapshot store the WAL-writers persist to.
          journal-plugin = "akka.persistence.journal.wal"
          snapshot-plugin = "akka.persistence.snapshot-store.wal"
          # Partition n persists as <persistence-id-prefix><n>. Do not change partitions once data exists:
          # a tx id's partition is fnv1a(tx id) mod partitions.
          persistence-id-prefix = "akkawal-tx-"
          partitions = 8
          # Largest prepare: UTF-8 size of the changes as a JSON object.
          max-changes-bytes = 1048576
          in-doubt {
            # keep: undecided transactions stay prepared until a client commits or aborts them.
            # abort-after-timeout: after recovery, each one still undecided after `timeout` is aborted.
            policy = keep
            timeout = 5m
          }
          compaction {
            # Scheduled compaction; 0 or off disables the schedule (on-demand CompactNow still works).
            interval = 5m
            # A partition is compacted only when it has this many records since its last snapshot.
            min-records = 10000
          }
        }
        akka.actor {
          serializers.akkawal-transactions = "AkkaWal.Transactions.Serialization.TransactionsSerializer, AkkaWal.Transactions"
          serialization-bindings {
            "AkkaWal.Transactions.Protocol.ITransactionsMessage, AkkaWal.Transactions" = akkawal-transactions
          }
          serialization-identifiers {
            "AkkaWal.Transactions.Serialization.TransactionsSerializer, AkkaWal.Transactions" = 4711
          }
        }
        """;

    public static Config Default { get; } = ConfigurationFactory.ParseString(Hocon);

    /// <summary>The pipeline on the AkkaWal journal and snapshot store kept under <paramref name="directory"/>
    /// (<c>journal/</c> and <c>snapshots/</c>), with the defaults above as fallback.</summary>
    public static Config OnWal(string directory)
    {
        static string Quote(string path) => "\"" + path.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        return ConfigurationFactory.ParseString($$"""
                akka.extensions = ["AkkaWal.Persistence.WalPersistenceProvider, AkkaWal.Persistence"]
                akka.persistence.journal.wal.directory = {{Quote(WalDataDirectory.Journal(directory))}}
                akka.persistence.snapshot-store.wal.directory = {{Quote(WalDataDirectory.Snapshots(directory))}}
                """)
            .WithFallback(Default);
    }
}
