using System.Text.Json;

namespace AkkaWal.Transactions.Protocol;

/// <summary>A reply of the coordinator.</summary>
public interface ITransactionReply : ITransactionsMessage;

/// <summary>The PREPARE record is durable.</summary>
public sealed record Prepared(string TxId) : ITransactionReply;

/// <summary>The COMMIT record is durable and every change of the transaction is visible to reads.</summary>
public sealed record Committed(string TxId) : ITransactionReply;

/// <summary>A repeated commit: the transaction was committed before; nothing was appended.</summary>
public sealed record AlreadyCommitted(string TxId) : ITransactionReply;

/// <summary>The ABORT record is durable.</summary>
public sealed record Aborted(string TxId) : ITransactionReply;

/// <summary>A repeated abort: the transaction was aborted before; nothing was appended.</summary>
public sealed record AlreadyAborted(string TxId) : ITransactionReply;

/// <summary>Why a request was refused. Nothing was written for any of these.</summary>
public enum RejectionReason
{
    /// <summary>The tx id is empty or longer than 256 characters.</summary>
    InvalidTxId,
    /// <summary>The prepare's changes are larger than <c>max-changes-bytes</c>, or a key is invalid.</summary>
    InvalidChanges,
    /// <summary>A prepare named a tx id that exists already (in any state).</summary>
    AlreadyExists,
    /// <summary>Commit or abort of a tx id that was never prepared.</summary>
    UnknownTransaction,
    /// <summary>Commit of an aborted transaction.</summary>
    TransactionAborted,
    /// <summary>Abort of a committed transaction.</summary>
    TransactionCommitted,
    /// <summary>The journal refused the record (it was not stored).</summary>
    JournalRejected,
}

/// <summary>The error reply: names the transaction, the rule and what happened.</summary>
public sealed record TransactionRejected(string TxId, RejectionReason Reason, string Message) : ITransactionReply;

/// <summary>The journal failed while this transaction's record was being written: the record may or may not be stored.
/// The partition is recovered from the journal; <see cref="GetTransaction"/> then tells what happened.</summary>
public sealed record WriteOutcomeUnknown(string TxId, string Message) : ITransactionReply;

/// <summary>The durable status of one transaction.</summary>
public enum TransactionStatus { Unknown, Prepared, Committed, Aborted }

/// <summary>Answer to <see cref="GetTransaction"/>. <paramref name="Changes"/> is kept only while the transaction is prepared.</summary>
public sealed record TransactionInfo(
    string TxId,
    TransactionStatus Status,
    IReadOnlyDictionary<string, JsonElement>? Changes,
    DateTimeOffset? PreparedAt) : ITransactionReply;

/// <summary>One prepared, undecided transaction.</summary>
public sealed record InDoubtTransaction(string TxId, IReadOnlyDictionary<string, JsonElement> Changes, DateTimeOffset PreparedAt);

/// <summary>Answer to <see cref="GetInDoubt"/>, sorted by tx id.</summary>
public sealed record InDoubtTransactions(IReadOnlyList<InDoubtTransaction> Transactions) : ITransactionReply;

/// <summary>Answer to <see cref="Read"/>. <paramref name="Found"/> is false for a key no committed transaction set
/// (a key set to JSON null is found, with a null-kind value).</summary>
public sealed record ReadResult(string Key, bool Found, JsonElement? Value) : ITransactionReply;

/// <summary>Answer to <see cref="ReadKeys"/>: the keys that are set, all from one state; missing keys are absent.</summary>
public sealed record ReadKeysResult(IReadOnlyDictionary<string, JsonElement> Values) : ITransactionReply;

/// <summary>Answer to <see cref="CompactNow"/>: how many partitions took a snapshot and how many journal records it removed.</summary>
public sealed record CompactionReport(int PartitionsCompacted, long RecordsRemoved) : ITransactionReply;
