using System.Text.Json;

namespace AkkaWal.Transactions.Protocol;

/// <summary>Every message and event of the pipeline: bound to <see cref="Serialization.TransactionsSerializer"/> in HOCON.</summary>
public interface ITransactionsMessage;

/// <summary>A client request to the coordinator.</summary>
public interface ITransactionCommand : ITransactionsMessage;

/// <summary>A request about one transaction.</summary>
public interface ITransactionIdCommand : ITransactionCommand
{
    /// <summary>The transaction's id, chosen by the client: 1 to <see cref="TransactionSettings.MaxTxIdLength"/>
    /// characters. A prepare with an id the pipeline still knows (pending, or decided within the retention) is refused.</summary>
    string TxId { get; }
}

/// <summary>Durably records the changes of a new transaction and locks every key it names (changed or expected).
/// Answer: <see cref="Prepared"/> or <see cref="TransactionRejected"/> (LockConflict, VersionMismatch, ...).</summary>
/// <param name="TxId">The new transaction's id.</param>
/// <param name="Changes">Key -> new JSON value; together at most <c>max-changes-bytes</c> as one JSON object.</param>
/// <param name="Expect">Key -> the version it must have (0: the key must not exist); null or empty: no condition.</param>
public sealed record Prepare(string TxId, IReadOnlyDictionary<string, JsonElement> Changes, IReadOnlyDictionary<string, long>? Expect = null)
    : ITransactionIdCommand;

/// <summary>Makes all changes of a prepared transaction visible together. Answer: <see cref="Committed"/>,
/// <see cref="AlreadyCommitted"/> or <see cref="TransactionRejected"/>.</summary>
public sealed record Commit(string TxId) : ITransactionIdCommand;

/// <summary>Drops a prepared transaction. Answer: <see cref="Aborted"/>, <see cref="AlreadyAborted"/> or <see cref="TransactionRejected"/>.</summary>
public sealed record Abort(string TxId) : ITransactionIdCommand;

/// <summary>Asks for the durable status of one transaction. Answer: <see cref="TransactionInfo"/>.</summary>
public sealed record GetTransaction(string TxId) : ITransactionIdCommand;

/// <summary>Lists every prepared, undecided transaction. Answer: <see cref="InDoubtTransactions"/>.</summary>
public sealed record GetInDoubt : ITransactionCommand
{
    /// <summary>The one instance.</summary>
    public static readonly GetInDoubt Instance = new();
}

/// <summary>
/// Waits until the coordinator has checked the partition layout recorded with the data. Answer: <see cref="LayoutChecked"/>,
/// whose <see cref="LayoutChecked.Error"/> says why the pipeline cannot start (another partition count than the data was
/// written with, or a layout journal that cannot be read). A host asks it at start-up and refuses to run on an error.
/// </summary>
public sealed record AwaitLayoutChecked : ITransactionsMessage
{
    /// <summary>The one instance.</summary>
    public static readonly AwaitLayoutChecked Instance = new();
}

/// <summary>Reads one key of the committed state. Answer: <see cref="ReadResult"/>.</summary>
public sealed record Read(string Key) : ITransactionCommand;

/// <summary>Reads several keys; no transaction is seen in part. Answer: <see cref="ReadKeysResult"/>.</summary>
public sealed record ReadKeys(IReadOnlyList<string> Keys) : ITransactionCommand;

/// <summary>Runs a compaction of every partition now. Answer: <see cref="CompactionReport"/>.</summary>
public sealed record CompactNow : ITransactionCommand
{
    /// <summary>The one instance.</summary>
    public static readonly CompactNow Instance = new();
}
