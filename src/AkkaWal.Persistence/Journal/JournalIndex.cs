using AkkaWal.Storage;

namespace AkkaWal.Persistence.Journal;

/// <summary>One event of a persistence id: where its record is in the log.</summary>
internal readonly record struct PidEntry(long SequenceNr, long Position, int Length);

/// <summary>One event in global (or tag) order: ordering, where its record is, and whose it is.</summary>
internal readonly record struct LogEntry(long Ordering, long Position, PidState Pid, long SequenceNr);

/// <summary>What the index knows of one persistence id.</summary>
internal sealed class PidState(string id)
{
    public string Id { get; } = id;
    /// <summary>Live (not deleted) events, sorted by sequence number.</summary>
    public List<PidEntry> Entries { get; } = new();
    /// <summary>Never decreases: survives deletes (and, through the delete marker, compaction).</summary>
    public long Highest { get; set; }
    public long DeletedTo { get; set; }
    public long MarkerPosition { get; set; } = -1;
    public int MarkerLength { get; set; }
    /// <summary>Appends of this id submitted but not yet durable; ReadHighestSequenceNr waits for them.</summary>
    public int InFlight { get; set; }
    public TaskCompletionSource? Drained { get; set; }
    /// <summary>True once something durable of this id is indexed: only then is it a persistence id to queries.</summary>
    public bool Reported { get; set; }

    public bool IsDeleted(long sequenceNr) => sequenceNr <= DeletedTo;

    /// <summary>Index of the first entry with SequenceNr >= seqNr.</summary>
    public int LowerBound(long sequenceNr)
    {
        int lo = 0, hi = Entries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Entries[mid].SequenceNr < sequenceNr) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

/// <summary>
/// The in-memory index of the journal, rebuilt on open from one scan of the log: per persistence id its events
/// (sequence number, position), highest and deleted-to; per tag and globally the events in ordering order.
/// Holds positions only, never payloads. Not thread-safe: <see cref="JournalStore"/> guards it with its lock.
/// </summary>
internal sealed class JournalIndex
{
    private readonly Dictionary<string, PidState> _pids = new(StringComparer.Ordinal);
    private readonly List<PidState> _pidsInOrder = new();
    private readonly Dictionary<string, List<LogEntry>> _tags = new(StringComparer.Ordinal);
    private List<LogEntry> _all = new();

    /// <summary>Bytes of deleted or superseded records still in the log (what compaction would reclaim).</summary>
    public long DeadBytes { get; set; }

    /// <summary>The next global ordering to assign (orderings start at 1).</summary>
    public long NextOrdering { get; set; } = 1;

    /// <summary>Highest ordering visible to queries.</summary>
    public long MaxPublishedOrdering => _all.Count == 0 ? 0 : _all[^1].Ordering;

    public int PersistenceIdCount => _pidsInOrder.Count;

    public PidState? Find(string pid) => _pids.GetValueOrDefault(pid);

    /// <summary>The state of an id, created when missing. It is reported as a persistence id only once it has
    /// something durable (an event or a delete marker), so an id whose only writes failed or were rejected is no ghost.</summary>
    public PidState GetOrAdd(string pid)
    {
        if (!_pids.TryGetValue(pid, out var state))
        {
            state = new PidState(pid);
            _pids.Add(pid, state);
        }
        return state;
    }

    private void Report(PidState pid)
    {
        if (pid.Reported) return;
        pid.Reported = true;
        _pidsInOrder.Add(pid);
    }

    /// <summary>Records a durable event of a persistence id (replay sees it from now on).</summary>
    public void AddEvent(PidState pid, long sequenceNr, long position, int length)
    {
        Report(pid);
        if (pid.IsDeleted(sequenceNr)) { DeadBytes += length; return; }
        var entry = new PidEntry(sequenceNr, position, length);
        var entries = pid.Entries;
        if (entries.Count == 0 || entries[^1].SequenceNr < sequenceNr) entries.Add(entry);
        else
        {
            // Same sequence number written again (a second writer): the later record supersedes the earlier.
            var i = pid.LowerBound(sequenceNr);
            if (i < entries.Count && entries[i].SequenceNr == sequenceNr) { DeadBytes += entries[i].Length; entries[i] = entry; }
            else entries.Insert(i, entry);
        }
        if (sequenceNr > pid.Highest) pid.Highest = sequenceNr;
    }

    /// <summary>Makes an event visible to tag and all-events queries; called in ordering order.</summary>
    public void Publish(LogEntry entry, IReadOnlyList<string> tags)
    {
        _all.Add(entry);
        foreach (var tag in tags)
        {
            if (!_tags.TryGetValue(tag, out var list)) _tags[tag] = list = new List<LogEntry>();
            list.Add(entry);
        }
    }

    /// <summary>Applies a durable delete marker: drops the deleted events and keeps the highest.</summary>
    public void ApplyDelete(DeleteMarker marker, long position, int length)
    {
        var pid = GetOrAdd(marker.PersistenceId);
        Report(pid);
        if (marker.HighestSequenceNr > pid.Highest) pid.Highest = marker.HighestSequenceNr;
        if (marker.ToSequenceNr < pid.DeletedTo) { DeadBytes += length; return; }
        if (pid.MarkerPosition >= 0) DeadBytes += pid.MarkerLength;
        pid.MarkerPosition = position;
        pid.MarkerLength = length;
        pid.DeletedTo = marker.ToSequenceNr;
        var cut = pid.LowerBound(marker.ToSequenceNr + 1);
        for (var i = 0; i < cut; i++) DeadBytes += pid.Entries[i].Length;
        pid.Entries.RemoveRange(0, cut);
    }

    /// <summary>True when compaction must keep this record: a live event or the latest delete marker of its id.</summary>
    public bool IsLive(LogRecord record)
    {
        var span = record.Payload.Span;
        if (JournalRecordCodec.KindOf(span, record.Position) == JournalRecordKind.DeleteMarker)
        {
            var marker = JournalRecordCodec.DecodeDeleteMarker(span, record.Position);
            return Find(marker.PersistenceId)?.MarkerPosition == record.Position;
        }
        var header = JournalRecordCodec.DecodeEventHeader(span, record.Position);
        var pid = Find(header.PersistenceId);
        if (pid is null || pid.IsDeleted(header.SequenceNr)) return false;
        var i = pid.LowerBound(header.SequenceNr);
        return i < pid.Entries.Count && pid.Entries[i].Position == record.Position;
    }

    /// <summary>The tags that have an ordering list (for pruning them one by one).</summary>
    public List<string> TagNames() => _tags.Keys.ToList();

    /// <summary>
    /// One bounded step of dropping deleted events from a list (tag null: the global one) after compaction removed
    /// their records: copies up to chunk entries from next on into kept, skipping deleted ones. When that reaches the
    /// list's end the kept list replaces it, in the same step, so an entry published between steps is never lost.
    /// Returns true when done. The caller holds the lock for one step only, so writers wait at most one chunk.
    /// </summary>
    public bool PruneStep(string? tag, List<LogEntry> kept, ref int next, int chunk)
    {
        var list = tag is null ? _all : _tags.GetValueOrDefault(tag);
        if (list is null) return true;
        var end = Math.Min(list.Count, next + chunk);
        for (; next < end; next++)
            if (!list[next].Pid.IsDeleted(list[next].SequenceNr)) kept.Add(list[next]);
        if (next < list.Count) return false;
        if (tag is null) _all = kept;
        else if (kept.Count == 0) _tags.Remove(tag);
        else _tags[tag] = kept;
        return true;
    }

    /// <summary>Up to max entries with ordering in (afterOrdering, upToOrdering]; tag null means all events.</summary>
    public List<LogEntry> EntriesAfter(string? tag, long afterOrdering, long upToOrdering, int max)
    {
        var result = new List<LogEntry>();
        List<LogEntry>? list = tag is null ? _all : _tags.GetValueOrDefault(tag);
        if (list is null) return result;
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid].Ordering <= afterOrdering) lo = mid + 1; else hi = mid;
        }
        for (var i = lo; i < list.Count && result.Count < max && list[i].Ordering <= upToOrdering; i++) result.Add(list[i]);
        return result;
    }

    /// <summary>Up to max live events of pid with sequence number in [from, to].</summary>
    public List<PidEntry> EventsOf(string pid, long from, long to, int max)
    {
        var result = new List<PidEntry>();
        var state = Find(pid);
        if (state is null) return result;
        for (var i = state.LowerBound(from); i < state.Entries.Count && result.Count < max && state.Entries[i].SequenceNr <= to; i++)
            result.Add(state.Entries[i]);
        return result;
    }

    public List<string> PersistenceIdsFrom(int index, int max)
    {
        var result = new List<string>();
        for (var i = index; i < _pidsInOrder.Count && result.Count < max; i++) result.Add(_pidsInOrder[i].Id);
        return result;
    }

    /// <summary>Builds the index from one scan of the log, in log order.</summary>
    public static JournalIndex Rebuild(IEnumerable<LogRecord> log)
    {
        var index = new JournalIndex();
        var events = new List<(LogEntry Entry, string[] Tags)>();
        var sorted = true;
        long maxOrdering = 0;
        long highWaterOrdering = 0; // from delete markers: orderings of deleted (perhaps compacted) events
        foreach (var record in log)
        {
            var span = record.Payload.Span;
            if (JournalRecordCodec.KindOf(span, record.Position) == JournalRecordKind.DeleteMarker)
            {
                var marker = JournalRecordCodec.DecodeDeleteMarker(span, record.Position);
                index.ApplyDelete(marker, record.Position, span.Length);
                highWaterOrdering = Math.Max(highWaterOrdering, marker.HighWaterOrdering);
                continue;
            }
            var header = JournalRecordCodec.DecodeEventHeader(span, record.Position);
            var pid = index.GetOrAdd(header.PersistenceId);
            index.AddEvent(pid, header.SequenceNr, record.Position, span.Length);
            if (header.Ordering <= maxOrdering) sorted = false; else maxOrdering = header.Ordering;
            events.Add((new LogEntry(header.Ordering, record.Position, pid, header.SequenceNr), header.Tags));
        }
        // Concurrent appends may reach the log slightly out of ordering order; queries need ordering order.
        if (!sorted) events.Sort((a, b) => a.Entry.Ordering.CompareTo(b.Entry.Ordering));
        foreach (var (entry, tags) in events)
            if (!entry.Pid.IsDeleted(entry.SequenceNr)) index.Publish(entry, tags);
        // Never hand out an ordering again, also when compaction removed the events that held the highest ones.
        index.NextOrdering = Math.Max(maxOrdering, highWaterOrdering) + 1;
        return index;
    }
}
