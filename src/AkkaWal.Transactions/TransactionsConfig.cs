using Akka.Configuration;
using AkkaWal.Persistence;

namespace AkkaWal.Transactions;

/// <summary>The pipeline's HOCON defaults, including the serializer binding. Put it in the ActorSystem's config
/// (as a fallback) before the system starts: serializer bindings are read once at start.</summary>
public static class TransactionsConfig
{
    /// <summary>The defaults as HOCON text: every <c>akkawal.transactions</c> key with what it means, and the serializer
    /// binding of <see cref="Protocol.ITransactionsMessage"/>.</summary>
    public const string Hocon = """
        akkawal.transactions {
          # Journal and snapshot store the partitions persist to.
          journal-plugin = "akka.persistence.journal.wal"
          snapshot-plugin = "akka.persistence.snapshot-store.wal"
          # Partition n persists as <persistence-id-prefix><n>; <persistence-id-prefix>layout records `partitions`.
          persistence-id-prefix = "akkawal-tx-"
          # A key belongs to partition fnv1a(key) mod partitions. Recorded with the data at the first start: starting
          # again with another value fails (naming this key) instead of reading keys from the wrong partitions.
          partitions = 8
          # Largest prepare: UTF-8 size of the changes as a JSON object.
          max-changes-bytes = 1048576
          in-doubt {
            # keep: undecided transactions stay prepared (their keys locked) until a client commits or aborts them.
            # abort-after-timeout: a transaction still undecided `timeout` after its prepare is aborted, whether it was
            # found at recovery or abandoned while the service runs.
            policy = keep
            timeout = 5m
          }
          # Decided transaction ids are remembered so that a repeated commit or abort answers the outcome; beyond the
          # newest max-count, or older than max-age (off: no age limit), an id is forgotten (a repeat then answers 404).
          decided-retention {
            max-count = 1000000
            max-age = 7d
          }
          # Requests that arrive while the partitions recover wait in a queue of at most this many; beyond it they are
          # answered Unavailable (HTTP 503) at once and never run.
          recovery-stash-limit = 10000
          # Tx id -> partitions of recent prepares, so a commit goes straight to its partitions; a miss asks all partitions.
          locator-cache-size = 200000
          # A home partition asks participants that have not yet acknowledged a decision again after this long.
          redrive-interval = 2s
          # How long the coordinator waits for a partition inside one request; then it answers "outcome unknown".
          internal-ask-timeout = 60s
          # The coordinator sends a request to a partition again when it has no answer after this long (and at once,
          # at the next quarter interval, when the partition answered that it stopped before it could tell). A cluster
          # delivers at most once: requests in flight to a partition that moves to another node are lost. Partitions
          # answer a repeat as the same request, so a resend only costs a message. Well above the normal answer time
          # (p99 tens of ms on local AkkaWal, hundreds on PostgreSQL under load) so resends stay rare; well below
          # internal-ask-timeout (it must be shorter) so a lost request is sent again many times before the client
          # is told the outcome is unknown.
          redelivery-interval = 3s
          # Requests to partitions the coordinator tracks for redelivery at once (about 200 bytes each); beyond it a
          # request is answered Unavailable (HTTP 503) at once and never runs.
          max-outstanding-requests = 100000
          compaction {
            # Scheduled compaction; 0 or off disables the schedule (on-demand CompactNow still works).
            interval = 5m
            # A partition is compacted only when it has this many records since its last snapshot.
            min-records = 10000
          }
          # Test only: kill the process at a named step of the commit protocol (participants-prepared,
          # decision-written, partly-applied). Never set it in production.
          test.crash-at = ""
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

    /// <summary><see cref="Hocon"/>, parsed.</summary>
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
