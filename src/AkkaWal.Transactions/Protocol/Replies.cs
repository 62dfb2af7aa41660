using System.Text.Json;

namespace AkkaWal.Transactions.Protocol;

/// <summary>A reply of the coordinator.</summary>
public interface ITransactionReply : ITransactionsMessage;

/// <summary>Every share of the transaction is durable and its keys are locked.</summary>
public sealed record Prepared(string TxId) : ITransactionReply;

/// <summary>The commit decision is durable and every change of the transaction is visible to reads in every partition.</summary>
public sealed record Committed(string TxId) : ITransactionReply;

/// <summary>A repeated commit: the transaction was committed before; nothing was appended.</summary>
public sealed record AlreadyCommitted(string TxId) : ITransactionReply;

/// <summary>The abort decision is durable and every lock of the transaction is released.</summary>
public sealed record Aborted(string TxId) : ITransactionReply;

/// <summary>A repeated abort: the transaction was aborted before; nothing was appended.</summary>
public sealed record AlreadyAborted(string TxId) : ITransactionReply;

/// <summary>Why a request was refused. Nothing was written for any of these, except where noted.</summary>
public enum RejectionReason
{
    /// <summary>The tx id is empty or longer than 256 characters.</summary>
    InvalidTxId,
    /// <summary>The prepare's changes are larger than <c>max-changes-bytes</c>, or a key or expected version is invalid.</summary>
    InvalidChanges,
    /// <summary>A prepare named a tx id that exists already (in any state).</summary>
    AlreadyExists,
    /// <summary>Commit or abort of a tx id that was never prepared (or whose decision is past its retention).</summary>
    UnknownTransaction,
    /// <summary>Commit of an aborted transaction.</summary>
    TransactionAborted,
    /// <summary>Abort of a committed transaction.</summary>
    TransactionCommitted,
    /// <summary>The journal refused the record (it was not stored).</summary>
    JournalRejected,
    /// <summary>A key of the prepare is locked by another undecided transaction (<see cref="TransactionRejected.Key"/>,
    /// <see cref="TransactionRejected.Holder"/>).</summary>
    LockConflict,
    /// <summary>An expected version does not match (<see cref="TransactionRejected.Key"/>, <see cref="TransactionRejected.Expected"/>,
    /// <see cref="TransactionRejected.Actual"/>).</summary>
    VersionMismatch,
    /// <summary>Commit of a transaction that is not prepared in every partition it touches (its prepare failed or was
    /// never answered); abort it.</summary>
    IncompletePrepare,
    /// <summary>The service is recovering and its queue is full: the request was not accepted and will never run.</summary>
    Unavailable,
}

/// <summary>The error reply: names the transaction, the rule and what happened; conflicts also name the key, the holder
/// of its lock, or the expected and actual versions.</summary>
public sealed record TransactionRejected(
    string TxId,
    RejectionReason Reason,
    string Message,
    string? Key = null,
    string? Holder = null,
    long? Expected = null,
    long? Actual = null) : ITransactionReply;

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
/// (a key set to JSON null is found, with a null-kind value). <paramref name="Version"/> counts the committed changes of
/// the key (0: it never existed).</summary>
public sealed record ReadResult(string Key, bool Found, JsonElement? Value, long Version = 0) : ITransactionReply;

/// <summary>Answer to <see cref="ReadKeys"/>: the keys that are set; missing keys are absent.
/// <paramref name="Versions"/> holds the version of every key that is set.</summary>
public sealed record ReadKeysResult(IReadOnlyDictionary<string, JsonElement> Values, IReadOnlyDictionary<string, long>? Versions = null)
    : ITransactionReply;

/// <summary>Answer to <see cref="CompactNow"/>: how many partitions took a snapshot and how many journal records it removed.</summary>
public sealed record CompactionReport(int PartitionsCompacted, long RecordsRemoved) : ITransactionReply;

/// <summary>Answer to <see cref="AwaitLayoutChecked"/> (and the layout journal's answer to the coordinator): the number of
/// partitions the data was written with, and <paramref name="Error"/>, null when the configured number matches, else why
/// the pipeline cannot start (naming <c>akkawal.transactions.partitions</c> and the recorded number).</summary>
public sealed record LayoutChecked(int Partitions, string? Error) : ITransactionsMessage;
