using Akka.Persistence.Query;
using AkkaWal.Persistence.Journal;
using AkkaWal.Persistence.Snapshot;

namespace AkkaWal.Persistence.Query;

/// <summary>Events in global ordering (all events, or one tag), after an exclusive ordering, up to an optional bound.</summary>
internal sealed class OrderingCursor(JournalStore store, string? tag, long afterOrdering, long? upToOrdering) : IQueryCursor<EventEnvelope>
{
    private long _after = afterOrdering;
    private bool _caughtUp;

    public bool Completed => upToOrdering is not null && (_caughtUp || _after >= upToOrdering);

    public IReadOnlyList<EventEnvelope> Next(int max)
    {
        var bound = upToOrdering ?? long.MaxValue;
        while (true)
        {
            var events = store.ReadAfterOrdering(tag, _after, bound, max, out var last);
            var progressed = last > _after;
            _after = last;
            if (events.Count > 0)
                return events.Select(e => new EventEnvelope(new Sequence(e.Ordering), e.Record.PersistenceId, e.Record.SequenceNr,
                    e.Event, e.Record.Timestamp, e.Record.Tags.ToArray())).ToList();
            // Everything read was deleted meanwhile: keep going while there is progress.
            if (!progressed) { _caughtUp = true; return Array.Empty<EventEnvelope>(); }
        }
    }
}

/// <summary>Events of one persistence id in sequence order within [from, to].</summary>
internal sealed class PersistenceIdCursor(JournalStore store, string persistenceId, long fromSequenceNr, long toSequenceNr, bool live)
    : IQueryCursor<EventEnvelope>
{
    private long _after = Math.Max(0, fromSequenceNr - 1);
    private bool _caughtUp;

    public bool Completed => _after >= toSequenceNr || (!live && _caughtUp);

    public IReadOnlyList<EventEnvelope> Next(int max)
    {
        while (true)
        {
            var events = store.ReadEventsOf(persistenceId, _after, toSequenceNr, max, out var last);
            var progressed = last > _after;
            _after = last;
            if (events.Count > 0)
                return events.Select(e => new EventEnvelope(new Sequence(e.Record.Ordering), e.Record.PersistenceId, e.Record.SequenceNr,
                    e.Event, e.Record.Timestamp, e.Record.Tags.ToArray())).ToList();
            if (!progressed) { _caughtUp = true; return Array.Empty<EventEnvelope>(); }
        }
    }
}

/// <summary>
/// Persistence ids of the journal, then those that only have snapshots; each once. A current query stops at the ids
/// known when it started.
/// </summary>
internal sealed class PersistenceIdsCursor(JournalStore store, SnapshotCatalog? snapshots, bool live) : IQueryCursor<string>
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly int _journalBound = live ? int.MaxValue : store.PersistenceIdCount;
    private readonly int _snapshotBound = live ? int.MaxValue : snapshots?.PersistenceIdCount ?? 0;
    private int _journalIndex;
    private int _snapshotIndex;
    private bool _caughtUp;

    public bool Completed => !live && _caughtUp;

    public IReadOnlyList<string> Next(int max)
    {
        var result = new List<string>();
        while (result.Count < max)
        {
            var fromSnapshots = _journalIndex >= _journalBound;
            List<string> ids = new();
            if (!fromSnapshots) ids = store.PersistenceIdsFrom(_journalIndex, Math.Min(max - result.Count, _journalBound - _journalIndex));
            if (ids.Count == 0 && snapshots is not null && _snapshotIndex < _snapshotBound)
            {
                fromSnapshots = true;
                ids = snapshots.PersistenceIdsFrom(_snapshotIndex, Math.Min(max - result.Count, _snapshotBound - _snapshotIndex));
            }
            if (ids.Count == 0) { _caughtUp = true; break; }
            if (fromSnapshots) _snapshotIndex += ids.Count; else _journalIndex += ids.Count;
            result.AddRange(ids.Where(_seen.Add));
        }
        return result;
    }
}
