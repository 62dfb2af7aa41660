namespace AkkaWal.Persistence.Journal;

/// <summary>First byte of every journal record in the log.</summary>
internal enum JournalRecordKind : byte
{
    Event = 1,
    DeleteMarker = 2,
}

/// <summary>One persisted event as stored in the log (see docs/FORMAT.md, "Journal records").</summary>
internal sealed record EventRecord(
    long Ordering,
    long SequenceNr,
    long Timestamp,
    string PersistenceId,
    IReadOnlyList<string> Tags,
    string WriterGuid,
    string EventManifest,
    int SerializerId,
    string SerializerManifest,
    ReadOnlyMemory<byte> Payload);

/// <summary>The fields of an event record the index needs; read without copying the payload.</summary>
internal readonly record struct EventHeader(long Ordering, long SequenceNr, string PersistenceId, string[] Tags);

/// <summary>
/// DeleteMessagesTo(pid, to): events of pid up to <see cref="ToSequenceNr"/> are deleted. It also carries the highest
/// sequence number of pid when it was written, so the highest survives compaction removing every event, and the
/// journal's highest assigned ordering then, so orderings are never handed out again after compaction removed the
/// events that held the highest ones (every event a marker deletes has a lower ordering; the latest marker of each
/// id survives compaction).
/// </summary>
internal sealed record DeleteMarker(string PersistenceId, long ToSequenceNr, long HighestSequenceNr, long HighWaterOrdering);
