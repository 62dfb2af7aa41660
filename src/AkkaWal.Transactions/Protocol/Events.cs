using System.Text.Json;

namespace AkkaWal.Transactions.Protocol;

/// <summary>A journal event of a partition's WAL-writer.</summary>
public interface ITransactionEvent : ITransactionsMessage
{
    string TxId { get; }
}

/// <summary>PREPARE record: the changes of a transaction, not yet visible.</summary>
public sealed record TransactionPrepared(string TxId, IReadOnlyDictionary<string, JsonElement> Changes, DateTimeOffset PreparedAt)
    : ITransactionEvent;

/// <summary>COMMIT record: one per commit whatever is pending. <paramref name="CommitOrder"/> is the coordinator's global
/// commit number; when two partitions set one key, the higher number wins, live and after recovery alike.</summary>
public sealed record TransactionCommitted(string TxId, long CommitOrder) : ITransactionEvent;

/// <summary>ABORT record.</summary>
public sealed record TransactionAborted(string TxId) : ITransactionEvent;

/// <summary>A committed value with the commit number of the transaction that wrote it.</summary>
public sealed record VersionedValue(JsonElement Value, long CommitOrder);

/// <summary>Snapshot of one partition: its committed state, its undecided transactions (never dropped by compaction)
/// and the ids of decided transactions (so repeated commits and aborts still answer "already ...").</summary>
public sealed record PartitionSnapshot(
    IReadOnlyDictionary<string, VersionedValue> Values,
    IReadOnlyList<InDoubtTransaction> Pending,
    IReadOnlyList<string> CommittedIds,
    IReadOnlyList<string> AbortedIds,
    long MaxCommitOrder) : ITransactionsMessage;
