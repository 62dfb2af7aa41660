using System.Text.Json;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Partitioning;

// The messages that cross the partition seam: everything sent to a partition travels in a PartitionEnvelope to the one
// partitions IActorRef (locally a PartitionRegion, later a shard region), and every reply goes back to the sender. None
// holds an IActorRef or a live object: all are bound to the TransactionsSerializer.

/// <summary>Any message for partition <paramref name="Partition"/>.</summary>
internal sealed record PartitionEnvelope(int Partition, ITransactionsMessage Message) : ITransactionsMessage;

/// <summary>Driver -> participant: durably prepare this partition's share. Answer: <see cref="Prepared"/>,
/// <see cref="TransactionRejected"/> or <see cref="WriteOutcomeUnknown"/>. <paramref name="RequestId"/> names the client's
/// prepare (the same in every share and every redelivery of it) and is stored with the share: a redelivery of a prepare
/// that was done answers as the first delivery did (Prepared, or the outcome once decided), while another prepare
/// naming the same tx id is refused (AlreadyExists).</summary>
internal sealed record PrepareShare(
    string TxId,
    int Home,
    IReadOnlyList<int> Participants,
    IReadOnlyDictionary<string, JsonElement> Changes,
    IReadOnlyDictionary<string, long> Expect,
    Guid RequestId = default) : ITransactionsMessage;

/// <summary>Coordinator -> partition: a request that the coordinator's <see cref="PartitionRequests"/> sends again until
/// it is answered (Cluster.Sharding delivers at most once: a message in flight to a shard that is handed off is lost).
/// The partition handles <paramref name="Message"/> as if it came alone and answers with a <see cref="PartitionAnswer"/>
/// carrying <paramref name="Id"/>, so the answer finds its request whoever else asks about the same transaction.</summary>
internal sealed record PartitionRequest(long Id, ITransactionsMessage Message) : ITransactionsMessage;

/// <summary>Partition -> coordinator: the answer to the <see cref="PartitionRequest"/> <paramref name="Id"/>.</summary>
internal sealed record PartitionAnswer(long Id, ITransactionsMessage Answer) : ITransactionsMessage;

/// <summary>Driver -> home: record the decision (the commit point) and have every participant apply it. Answered with
/// <see cref="Committed"/> / <see cref="Aborted"/> only after every participant applied it, or with the "already" form
/// or a <see cref="TransactionRejected"/>.</summary>
internal sealed record DecideTransaction(string TxId, bool Commit, IReadOnlyList<int> Participants) : ITransactionsMessage;

/// <summary>Home -> participant: apply the decision to your share. Answer: <see cref="ShareApplied"/>.</summary>
internal sealed record ApplyDecision(string TxId, bool Commit) : ITransactionsMessage;

/// <summary>Participant -> home: the decision is durable in <paramref name="Partition"/> (or there was nothing to apply).</summary>
internal sealed record ShareApplied(string TxId, int Partition) : ITransactionsMessage;

/// <summary>What does this partition know of a transaction? Answer: <see cref="ShareInfo"/>.</summary>
internal sealed record FindShare(string TxId) : ITransactionsMessage;

/// <summary>One partition's view of a transaction. <paramref name="Participants"/> is empty when the status is Unknown or
/// the share is decided and only its id is remembered.</summary>
internal sealed record ShareInfo(
    string TxId,
    int Partition,
    TransactionStatus Status,
    int Home,
    IReadOnlyList<int> Participants,
    IReadOnlyDictionary<string, JsonElement>? Changes,
    DateTimeOffset? PreparedAt) : ITransactionsMessage;

/// <summary>Reader -> home: is the transaction decided? Answer: <see cref="DecisionInfo"/> (durable decisions only).</summary>
internal sealed record GetDecision(string TxId) : ITransactionsMessage;

internal sealed record DecisionInfo(string TxId, TransactionStatus Status) : ITransactionsMessage;

/// <summary>Participant in doubt -> home: tell me the decision; with <paramref name="AbortIfUndecided"/> (the
/// abort-after-timeout policy) decide abort first if nothing is decided. Answer: <see cref="ApplyDecision"/> or
/// <see cref="StillInDoubt"/>.</summary>
internal sealed record ResolveInDoubt(string TxId, bool AbortIfUndecided, IReadOnlyList<int> Participants) : ITransactionsMessage;

internal sealed record StillInDoubt(string TxId) : ITransactionsMessage;

/// <summary>Reads keys this partition owns. Answer: <see cref="KeyReads"/>.</summary>
internal sealed record ReadKeysAt(IReadOnlyList<string> Keys) : ITransactionsMessage;

/// <summary>One key: its committed value and version, and, when it is locked by a prepared share that changes it, the
/// holder, the holder's home and the value the holder would write (so a reader can complete a decided transaction).</summary>
internal sealed record KeyRead(string Key, JsonElement? Value, long Version, string? Holder, int? HolderHome, JsonElement? PendingValue);

internal sealed record KeyReads(IReadOnlyList<KeyRead> Reads) : ITransactionsMessage;

/// <summary>Lists this partition's undecided shares. Answer: <see cref="PendingShares"/>.</summary>
internal sealed record ListPending : ITransactionsMessage
{
    public static readonly ListPending Instance = new();
}

internal sealed record PendingShares(IReadOnlyList<ShareInfo> Shares) : ITransactionsMessage;

/// <summary>Snapshot and delete if at least <paramref name="MinRecords"/> records were written since the last snapshot.</summary>
internal sealed record CompactPartition(long MinRecords) : ITransactionsMessage;

internal sealed record PartitionCompacted(int Partition, bool Compacted, long RecordsRemoved) : ITransactionsMessage;

/// <summary>Answer with <see cref="PartitionRecovered"/> once replay has finished.</summary>
internal sealed record ReportRecovered : ITransactionsMessage
{
    public static readonly ReportRecovered Instance = new();
}

internal sealed record PartitionRecovered(
    int Partition,
    int Keys,
    int Pending,
    int OpenDecisions,
    int DecidedRemembered,
    long LastSequenceNr,
    long SnapshotSequenceNr,
    long EventsReplayed,
    double ReplayMilliseconds) : ITransactionsMessage;

/// <summary>Coordinator -> layout journal: check (or, the first time, record) the number of partitions. Answer:
/// <see cref="Protocol.LayoutChecked"/>.</summary>
internal sealed record CheckLayout(int Partitions) : ITransactionsMessage;


/// <summary>
/// Cluster.Sharding's hand-off stop message for a partition entity (instead of its default PoisonPill). A partition
/// persists with PersistAsync, so a PoisonPill would stop it with writes in flight and their requesters unanswered; on
/// this message it stops once its in-flight writes are acknowledged and answered (bounded by
/// <see cref="PartitionActor.HandOffGrace"/>), and tells whoever still waits that the outcome is unknown.
/// </summary>
internal sealed record StopPartition : ITransactionsMessage
{
    public static readonly StopPartition Instance = new();
}
