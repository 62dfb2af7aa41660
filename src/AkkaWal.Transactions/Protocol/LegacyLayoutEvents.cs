using System.Text.Json;

namespace AkkaWal.Transactions.Protocol;

// The records of the first layout (partitions by tx id, no locks). Their manifests stay readable so that a partition
// meeting one can refuse the old data with a clear error instead of a deserialization failure.

/// <summary>Old layout: PREPARE record.</summary>
internal sealed record TransactionPrepared(string TxId, IReadOnlyDictionary<string, JsonElement> Changes, DateTimeOffset PreparedAt)
    : ITransactionsMessage;

/// <summary>Old layout: COMMIT record.</summary>
internal sealed record TransactionCommitted(string TxId, long CommitOrder) : ITransactionsMessage;

/// <summary>Old layout: ABORT record.</summary>
internal sealed record TransactionAborted(string TxId) : ITransactionsMessage;

/// <summary>Old layout: a committed value with its global commit number.</summary>
internal sealed record VersionedValue(JsonElement Value, long CommitOrder);

/// <summary>Old layout: snapshot of one partition.</summary>
internal sealed record PartitionSnapshot(
    IReadOnlyDictionary<string, VersionedValue> Values,
    IReadOnlyList<InDoubtTransaction> Pending,
    IReadOnlyList<string> CommittedIds,
    IReadOnlyList<string> AbortedIds,
    long MaxCommitOrder) : ITransactionsMessage;
