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
/// <param name="TxId">The transaction the request named ("" when it named none).</param>
/// <param name="Reason">The rule that refused it.</param>
/// <param name="Message">What happened, for people: names the transaction, the key and the limit where they apply.</param>
/// <param name="Key">The key in conflict (<see cref="RejectionReason.LockConflict"/>,
/// <see cref="RejectionReason.VersionMismatch"/>, an invalid expected version).</param>
/// <param name="Holder">The undecided transaction that holds <paramref name="Key"/>'s lock (<see cref="RejectionReason.LockConflict"/>).</param>
/// <param name="Expected">The version the prepare expected (<see cref="RejectionReason.VersionMismatch"/>).</param>
/// <param name="Actual">The key's committed version (<see cref="RejectionReason.VersionMismatch"/>; 0: it does not exist).</param>
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
/// <param name="TxId">The transaction whose outcome is unknown.</param>
/// <param name="Message">The journal's failure, for people.</param>
public sealed record WriteOutcomeUnknown(string TxId, string Message) : ITransactionReply;

/// <summary>The durable status of one transaction.</summary>
public enum TransactionStatus
{
    /// <summary>No partition knows the id: never prepared, or decided longer ago than the decided retention.</summary>
    Unknown,
    /// <summary>Prepared and not decided: its keys are locked until it is committed or aborted.</summary>
    Prepared,
    /// <summary>Committed: its changes are visible.</summary>
    Committed,
    /// <summary>Aborted: its changes were dropped.</summary>
    Aborted,
}

/// <summary>Answer to <see cref="GetTransaction"/>.</summary>
/// <param name="TxId">The transaction asked about.</param>
/// <param name="Status">Its durable status.</param>
/// <param name="Changes">Its changes while it is prepared; null once decided (they are not kept) or when unknown.</param>
/// <param name="PreparedAt">When it was prepared (its earliest share), while it is prepared; otherwise null.</param>
public sealed record TransactionInfo(
    string TxId,
    TransactionStatus Status,
    IReadOnlyDictionary<string, JsonElement>? Changes,
    DateTimeOffset? PreparedAt) : ITransactionReply;

/// <summary>One prepared, undecided transaction.</summary>
/// <param name="TxId">Its id.</param>
/// <param name="Changes">Its changes (of every partition it touches).</param>
/// <param name="PreparedAt">When it was prepared (the earliest of its shares).</param>
public sealed record InDoubtTransaction(string TxId, IReadOnlyDictionary<string, JsonElement> Changes, DateTimeOffset PreparedAt);

/// <summary>Answer to <see cref="GetInDoubt"/>, sorted by tx id.</summary>
public sealed record InDoubtTransactions(IReadOnlyList<InDoubtTransaction> Transactions) : ITransactionReply;

/// <summary>Answer to <see cref="Read"/>.</summary>
/// <param name="Key">The key read.</param>
/// <param name="Found">False for a key no committed transaction set (a key set to JSON null is found, with a
/// null-kind value).</param>
/// <param name="Value">The committed value; null when not found.</param>
/// <param name="Version">The number of committed changes of the key (0: it never existed); what a prepare's
/// <see cref="Prepare.Expect"/> compares with.</param>
public sealed record ReadResult(string Key, bool Found, JsonElement? Value, long Version = 0) : ITransactionReply;

/// <summary>Answer to <see cref="ReadKeys"/>: the keys that are set; missing keys are absent.</summary>
/// <param name="Values">Key -> committed value, for every key that is set.</param>
/// <param name="Versions">Key -> version, for every key that is set.</param>
public sealed record ReadKeysResult(IReadOnlyDictionary<string, JsonElement> Values, IReadOnlyDictionary<string, long>? Versions = null)
    : ITransactionReply;

/// <summary>Answer to <see cref="CompactNow"/>.</summary>
/// <param name="PartitionsCompacted">How many partitions took a snapshot.</param>
/// <param name="RecordsRemoved">How many journal records were deleted behind those snapshots.</param>
public sealed record CompactionReport(int PartitionsCompacted, long RecordsRemoved) : ITransactionReply;

/// <summary>Answer to <see cref="AwaitLayoutChecked"/> (and the layout journal's answer to the coordinator).</summary>
/// <param name="Partitions">The number of partitions the data was written with (the configured number when the layout
/// journal could not be read).</param>
/// <param name="Error">Null when the configured number matches; otherwise why the pipeline cannot start (naming
/// <c>akkawal.transactions.partitions</c> and the recorded number).</param>
public sealed record LayoutChecked(int Partitions, string? Error) : ITransactionsMessage;
