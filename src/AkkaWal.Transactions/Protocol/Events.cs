using System.Text.Json;

namespace AkkaWal.Transactions.Protocol;

/// <summary>A journal event of a partition.</summary>
public interface ITransactionEvent : ITransactionsMessage
{
    /// <summary>The transaction the record belongs to.</summary>
    string TxId { get; }
}

/// <summary>PREPARE record of one partition's share of a transaction: the changes and expected versions of the keys this
/// partition owns (not yet visible; the keys are locked), the home partition that records the decision and the full list of
/// participant partitions. A single-partition transaction has one share whose home is that partition.</summary>
/// <param name="TxId">The transaction.</param>
/// <param name="Home">The participant that records the decision.</param>
/// <param name="Participants">Every partition the transaction touches, ascending.</param>
/// <param name="Changes">This partition's keys -> new values.</param>
/// <param name="Expect">This partition's keys -> expected versions (0: must not exist).</param>
/// <param name="PreparedAt">When the share was prepared; the in-doubt timeout counts from it.</param>
/// <param name="RequestId">The client's prepare that wrote it, so a redelivery of that prepare (even to the partition's
/// next incarnation, on another node) is recognised as the same request; null in records written before it existed.</param>
public sealed record SharePrepared(
    string TxId,
    int Home,
    IReadOnlyList<int> Participants,
    IReadOnlyDictionary<string, JsonElement> Changes,
    IReadOnlyDictionary<string, long> Expect,
    DateTimeOffset PreparedAt,
    Guid? RequestId = null) : ITransactionEvent;

/// <summary>The decision record, written by the home partition only: the commit point of the whole transaction. It also
/// applies (or drops) the home's own share; for a single-partition transaction it is the one COMMIT (or ABORT) record.</summary>
/// <param name="TxId">The transaction.</param>
/// <param name="Commit">True: committed; false: aborted.</param>
/// <param name="Participants">Every partition the transaction touches; the home drives the others until each applied it.</param>
/// <param name="DecidedAt">When the decision was written; the decided retention's age counts from it.</param>
public sealed record TransactionDecided(string TxId, bool Commit, IReadOnlyList<int> Participants, DateTimeOffset DecidedAt)
    : ITransactionEvent;

/// <summary>A participant (not the home) applies the home's decision to its share and releases its locks.</summary>
/// <param name="TxId">The transaction.</param>
/// <param name="Commit">The home's decision: true to commit, false to abort.</param>
/// <param name="ResolvedAt">When this participant applied it.</param>
public sealed record ShareResolved(string TxId, bool Commit, DateTimeOffset ResolvedAt) : ITransactionEvent;

/// <summary>A committed value and its version (the number of committed changes of the key; 1 for the first).</summary>
internal sealed record KeyState(JsonElement Value, long Version);

/// <summary>A decided transaction remembered for the retention (so repeats answer "already ..."), with the prepare that
/// wrote this partition's share (null: none here, or written before request ids existed), so a late redelivery of that
/// prepare answers the outcome.</summary>
internal sealed record DecidedTransaction(string TxId, bool Committed, DateTimeOffset DecidedAt, Guid? PreparedBy = null);

/// <summary>A decision of this home that some participants have not acknowledged yet; never dropped until they have.</summary>
internal sealed record OpenDecision(string TxId, bool Commit, IReadOnlyList<int> Awaiting);

/// <summary>Snapshot of one partition: its keys, its undecided shares, its open decisions and the decided ids within the
/// retention. Its size is bounded by live data, never by history.</summary>
internal sealed record PartitionStateSnapshot(
    IReadOnlyDictionary<string, KeyState> Values,
    IReadOnlyList<SharePrepared> Pending,
    IReadOnlyList<OpenDecision> Open,
    IReadOnlyList<DecidedTransaction> Decided) : ITransactionsMessage;

/// <summary>The one record of the layout journal: how many partitions the keys are spread over. Never changes.</summary>
internal sealed record PartitionLayoutRecorded(int Partitions) : ITransactionsMessage;
