using System.Text.Json;
using Akka.Actor;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Partitioning;

// Messages between the pipeline's own actors inside one ActorSystem. They hold IActorRefs and live objects and
// never cross a process boundary, so they are not bound to the serializer.

/// <summary>Coordinator -> writer: a commit with the global commit number the coordinator assigned (sender = client).</summary>
internal sealed record WriteCommit(string TxId, long CommitOrder);

/// <summary>Writer -> coordinator: a COMMIT is durable; make its changes visible, then answer the client.</summary>
internal sealed record CommitDurable(string TxId, IReadOnlyDictionary<string, JsonElement> Changes, long CommitOrder, IActorRef ReplyTo);

/// <summary>Recovery -> writer: answer with <see cref="PartitionRecovered"/> once replay has finished.</summary>
internal sealed record ReportRecoveredState
{
    public static readonly ReportRecoveredState Instance = new();
}

internal sealed record PartitionRecovered(
    int Partition,
    IReadOnlyDictionary<string, VersionedValue> Values,
    IReadOnlyList<InDoubtTransaction> InDoubt,
    long MaxCommitOrder,
    long LastSequenceNr,
    long SnapshotSequenceNr,
    long EventsReplayed,
    int CommittedCount,
    int AbortedCount,
    TimeSpan ReplayTime);

/// <summary>Recovery -> coordinator: the merged state of every partition.</summary>
internal sealed record RecoveryFinished(CommittedValues Values, long MaxCommitOrder, IReadOnlyList<InDoubtTransaction> InDoubt);

/// <summary>Compaction -> writer: snapshot and delete if at least <paramref name="MinRecords"/> records were written since the last snapshot.</summary>
internal sealed record CompactPartition(long MinRecords);

internal sealed record PartitionCompacted(int Partition, bool Compacted, long RecordsRemoved);

/// <summary>Writer -> coordinator, before the writer stops after a failed journal write and before it answers any client:
/// the coordinator holds commands from then on, so none is routed to the stopping writer.</summary>
internal sealed record WriterFailed(int Partition);
