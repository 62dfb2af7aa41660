using System.Runtime.InteropServices;
using Akka.Persistence;
using AkkaWal.Storage;

namespace AkkaWal.Persistence.Journal;

/// <summary>
/// One AtomicWrite encoded for the log: one engine batch (all its events or none). It hears the engine's outcome
/// itself (<see cref="IAppendCompletion"/>, on the writer thread), settles the index and tells its
/// <see cref="JournalWrite"/>, so a durable event reaches its reply without a task or a thread-pool hop.
/// </summary>
internal sealed class PreparedBatch : IAppendCompletion
{
    public PreparedBatch(IReadOnlyList<IPersistentRepresentation> events, string persistenceId, ReadOnlyMemory<byte>[] records, string[]?[]? tags)
    {
        Events = events;
        PersistenceId = persistenceId;
        Records = records;
        Tags = tags;
    }

    /// <summary>The events as the journal stores them (after write-side event adapters).</summary>
    public IReadOnlyList<IPersistentRepresentation> Events { get; }
    public string PersistenceId { get; }
    public ReadOnlyMemory<byte>[] Records { get; }
    /// <summary>Sorted tags per event; null when no event of the batch is tagged (the common case: no array at all).</summary>
    public string[]?[]? Tags { get; }

    // Set by JournalStore when the batch is submitted, under its locks.
    internal JournalStore? Store;
    internal JournalWrite? Write;
    internal int Index;            // the AtomicWrite's index in its WriteMessages
    internal long FirstOrdering;
    internal long Floor;           // the log's durable end before submission: the batch lands at or after it
    internal PidState? Pid;
    internal long[]? Positions;    // null until durable; stays null when not stored
    internal bool Settled;

    public IReadOnlyList<string> TagsOf(int k) => Tags?[k] ?? (IReadOnlyList<string>)Array.Empty<string>();

    public void SetOrderings(long first)
    {
        FirstOrdering = first;
        for (var k = 0; k < Records.Length; k++)
            JournalRecordCodec.SetOrdering(MemoryMarshal.AsMemory(Records[k]).Span, first + k);
    }

    void IAppendCompletion.Completed(long[] positions)
    {
        try
        {
            Store!.Settle(this, positions);
        }
        catch (Exception e)
        {
            // Runs on the engine's writer: an exception there would fail the log. A bug in indexing fails this group
            // instead (its actors stop and recover from the log, which has the events).
            Write!.Fail(e);
        }
        Write!.BatchDone();
    }

    void IAppendCompletion.Failed(Exception error)
    {
        // The engine refuses an oversized record or batch before writing anything: a rejection, not a failure.
        if (error is RecordTooLargeException tooLarge)
            Write!.Reject(Index, new JournalRecordTooLargeException(tooLarge.Message, tooLarge));
        else
            Write!.Fail(error);
        Store!.Settle(this, null);
        Write.BatchDone();
    }
}
