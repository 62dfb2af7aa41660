using System.Text.Json;

namespace AkkaWal.Transactions.Protocol;

/// <summary>A journal event of a partition.</summary>
public interface ITransactionEvent : ITransactionsMessage
{
    string TxId { get; }
}

/// <summary>PREPARE record of one partition's share of a transaction: the changes and expected versions of the keys this
/// partition owns (not yet visible; the keys are locked), the home partition that records the decision and the full list of
/// participant partitions. A single-partition transaction has one share whose home is that partition.</summary>
public sealed record SharePrepared(
    string TxId,
    int Home,
    IReadOnlyList<int> Participants,
    IReadOnlyDictionary<string, JsonElement> Changes,
    IReadOnlyDictionary<string, long> Expect,
    DateTimeOffset PreparedAt) : ITransactionEvent;

/// <summary>The decision record, written by the home partition only: the commit point of the whole transaction. It also
/// applies (or drops) the home's own share; for a single-partition transaction it is the one COMMIT (or ABORT) record.</summary>
public sealed record TransactionDecided(string TxId, bool Commit, IReadOnlyList<int> Participants, DateTimeOffset DecidedAt)
    : ITransactionEvent;

/// <summary>A participant (not the home) applies the home's decision to its share and releases its locks.</summary>
public sealed record ShareResolved(string TxId, bool Commit, DateTimeOffset ResolvedAt) : ITransactionEvent;

/// <summary>A committed value and its version (the number of committed changes of the key; 1 for the first).</summary>
internal sealed record KeyState(JsonElement Value, long Version);

/// <summary>A decided transaction remembered for the retention (so repeats answer "already ...").</summary>
internal sealed record DecidedTransaction(string TxId, bool Committed, DateTimeOffset DecidedAt);

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
