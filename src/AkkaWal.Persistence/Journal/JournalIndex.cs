using AkkaWal.Storage;

namespace AkkaWal.Persistence.Journal;

/// <summary>One event of a persistence id: where its record is in the log.</summary>
internal readonly record struct PidEntry(long SequenceNr, long Position, int Length);

/// <summary>One event in global (or tag) order: ordering, where its record is, and whose it is.</summary>
internal readonly record struct LogEntry(long Ordering, long Position, PidState Pid, long SequenceNr);

/// <summary>An id's events still in the checkpoint file: the section, how many, and the position of its live event
/// with the highest position below the checkpoint's covered position (-1: none; an anchor candidate).</summary>
internal sealed record PidSection(CheckpointSection Section, int Count, long AnchorCandidate);

/// <summary>What the index knows of one persistence id.</summary>
internal sealed class PidState(string id)
{
    private List<PidEntry>? _entries = new();
    private IndexCheckpointSource? _source;

    public string Id { get; } = id;
    /// <summary>Live (not deleted) events, sorted by sequence number. Loaded from the checkpoint on first use (one read
    /// of the id's section), so every change of them goes through here and finds them loaded.</summary>
    public List<PidEntry> Entries => _entries ??= Load();
    /// <summary>Set while the events are only in the checkpoint file.</summary>
    public PidSection? Unloaded { get; private set; }
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

    /// <summary>Leaves the events in the checkpoint file until first used.</summary>
    public void SetUnloaded(PidSection section, IndexCheckpointSource source)
    {
        _entries = null;
        Unloaded = section;
        _source = source;
    }

    private List<PidEntry> Load()
    {
        var entries = _source!.LoadEntries(this, Unloaded!);
        Unloaded = null;
        _source = null;
        return entries;
    }

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
    // Ordering lists loaded from a checkpoint stay in its file until a query reaches below their end: a list is its
    // prefix (still in the file) followed by the entries published since (in _all / _tags).
    private ListPrefix? _allPrefix;
    private readonly Dictionary<string, ListPrefix> _tagPrefixes = new(StringComparer.Ordinal);

    /// <summary>The checkpoint the unloaded parts are in (null when everything is in memory).</summary>
    public IndexCheckpointSource? Source { get; set; }

    /// <summary>Bytes of deleted or superseded records still in the log (what compaction would reclaim).</summary>
    public long DeadBytes { get; set; }

    /// <summary>The next global ordering to assign (orderings start at 1).</summary>
    public long NextOrdering { get; set; } = 1;

    /// <summary>Highest ordering visible to queries.</summary>
    public long MaxPublishedOrdering => LastListedOrdering;

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

    /// <summary>Records a durable event of a persistence id (replay sees it from now on). Applying the same record again
    /// changes nothing, and of two records with one sequence number the later in the log wins whatever the order they
    /// are applied in (the tail read after a checkpoint may meet records the checkpoint already holds).</summary>
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
            if (i < entries.Count && entries[i].SequenceNr == sequenceNr)
            {
                if (entries[i].Position == position) return;
                if (entries[i].Position > position) { DeadBytes += length; return; }
                DeadBytes += entries[i].Length;
                entries[i] = entry;
                Superseded = true;
            }
            else entries.Insert(i, entry);
        }
        if (sequenceNr > pid.Highest) pid.Highest = sequenceNr;
    }

    /// <summary>Set when an event was superseded or deleted since the last <see cref="DropStaleEntries"/>.</summary>
    private bool Superseded { get; set; }

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
        if (position == pid.MarkerPosition) return; // applied already (the tail after a checkpoint)
        // Of two markers deleting as far, the later in the log is the one kept.
        if (marker.ToSequenceNr < pid.DeletedTo || (marker.ToSequenceNr == pid.DeletedTo && position < pid.MarkerPosition))
        {
            DeadBytes += length;
            return;
        }
        if (pid.MarkerPosition >= 0) DeadBytes += pid.MarkerLength;
        pid.MarkerPosition = position;
        pid.MarkerLength = length;
        pid.DeletedTo = marker.ToSequenceNr;
        var cut = pid.LowerBound(marker.ToSequenceNr + 1);
        for (var i = 0; i < cut; i++) DeadBytes += pid.Entries[i].Length;
        pid.Entries.RemoveRange(0, cut);
        if (cut > 0) Superseded = true;
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
    public List<string> TagNames() => _tags.Keys.Union(_tagPrefixes.Keys).ToList();

    /// <summary>
    /// One bounded step of dropping deleted events from a list (tag null: the global one) after compaction removed
    /// their records: copies up to chunk entries from next on into kept, skipping deleted ones. When that reaches the
    /// list's end the kept list replaces it, in the same step, so an entry published between steps is never lost.
    /// Returns true when done. The caller holds the lock for one step only, so writers wait at most one chunk.
    /// </summary>
    public bool PruneStep(string? tag, List<LogEntry> kept, ref int next, int chunk)
    {
        var list = Materialize(tag);
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
        var prefix = tag is null ? _allPrefix : _tagPrefixes.GetValueOrDefault(tag);
        // Entries published since the checkpoint answer a query that starts after the prefix's end without loading it.
        List<LogEntry>? list = prefix is not null && afterOrdering < prefix.LastOrdering ? Materialize(tag)
            : tag is null ? _all : _tags.GetValueOrDefault(tag);
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

    /// <summary>True when the entry is the event its id holds for that sequence number (not deleted, not superseded).</summary>
    public static bool IsCurrent(in LogEntry entry)
    {
        var pid = entry.Pid;
        if (pid.IsDeleted(entry.SequenceNr)) return false;
        var i = pid.LowerBound(entry.SequenceNr);
        return i < pid.Entries.Count && pid.Entries[i].Position == entry.Position;
    }

    // ---------------------------------------------------------------- open: rebuild and checkpoint

    /// <summary>Persistence ids with something durable, in the order queries report them.</summary>
    public IReadOnlyList<PidState> ReportedPids => _pidsInOrder;

    /// <summary>The global ordering list (loaded whole).</summary>
    public List<LogEntry> AllEvents => Materialize(null)!;

    /// <summary>The tag ordering lists (loaded whole).</summary>
    public IReadOnlyDictionary<string, List<LogEntry>> TagLists
    {
        get
        {
            foreach (var tag in _tagPrefixes.Keys.ToList()) Materialize(tag);
            return _tags;
        }
    }

    /// <summary>A list's part still in the checkpoint file and its loaded part (tag null: all events).</summary>
    public (ListPrefix? Prefix, List<LogEntry>? Loaded) ListParts(string? tag) =>
        tag is null ? (_allPrefix, _all) : (_tagPrefixes.GetValueOrDefault(tag), _tags.GetValueOrDefault(tag));

    /// <summary>The whole list, its prefix loaded from the checkpoint when it was still there (tag null: all events).</summary>
    public List<LogEntry>? LoadList(string? tag) => Materialize(tag);

    /// <summary>Loads a list's prefix from the checkpoint (one read) in front of what was published since; returns the
    /// whole list, or null for a tag without one.</summary>
    private List<LogEntry>? Materialize(string? tag)
    {
        var prefix = tag is null ? _allPrefix : _tagPrefixes.GetValueOrDefault(tag);
        var list = tag is null ? _all : _tags.GetValueOrDefault(tag);
        if (prefix is null) return list;
        var whole = Source!.LoadList(tag, prefix);
        // A checkpoint copies an unloaded prefix as it was, so it may hold events deleted or superseded since.
        whole.RemoveAll(e => !IsCurrent(e));
        if (list is not null) whole.AddRange(list);
        if (tag is null)
        {
            _allPrefix = null;
            _all = whole;
            return whole;
        }
        _tagPrefixes.Remove(tag);
        if (whole.Count == 0)
        {
            _tags.Remove(tag);
            return null;
        }
        _tags[tag] = whole;
        return whole;
    }

    /// <summary>Adds a persistence id loaded from a checkpoint (reported, in checkpoint order).</summary>
    public void AddLoadedPid(PidState pid)
    {
        _pids.Add(pid.Id, pid);
        Report(pid);
    }

    /// <summary>Sets the part of an ordering list still in the checkpoint file (tag null: the global one).</summary>
    public void SetListPrefix(string? tag, ListPrefix prefix)
    {
        if (tag is null) _allPrefix = prefix;
        else _tagPrefixes[tag] = prefix;
    }

    /// <summary>Builds the index from one scan of the log, in log order.</summary>
    public static JournalIndex Rebuild(IEnumerable<LogRecord> log)
    {
        var builder = new JournalIndexBuilder(new JournalIndex(), publishedUpTo: 0);
        foreach (var record in log) builder.Apply(record);
        return builder.Finish(nextOrdering: 1);
    }

    /// <summary>
    /// After a scan: drops the ordering-list entries that are no longer current (deleted or superseded by a record met
    /// later in the scan) and tag lists left empty, so the lists hold what a query would return. Skipped when the scan
    /// deleted and superseded nothing.
    /// </summary>
    internal void DropStaleEntries()
    {
        if (!Superseded) return;
        Superseded = false;
        _all.RemoveAll(e => !IsCurrent(e));
        List<string>? empty = null;
        foreach (var (tag, list) in _tags)
        {
            list.RemoveAll(e => !IsCurrent(e));
            if (list.Count == 0) (empty ??= []).Add(tag);
        }
        if (empty is not null) foreach (var tag in empty) _tags.Remove(tag);
    }

    /// <summary>Inserts an event met out of ordering order (concurrent appends may reach the log slightly out of
    /// ordering order); usually it belongs near the end, so this is cheap.</summary>
    internal void PublishOutOfOrder(LogEntry entry, ReadOnlySpan<string> tags)
    {
        if (_allPrefix is { } prefix && entry.Ordering <= prefix.LastOrdering) Materialize(null);
        Insert(_all, entry);
        foreach (var tag in tags)
        {
            if (_tagPrefixes.TryGetValue(tag, out var tagPrefix) && entry.Ordering <= tagPrefix.LastOrdering) Materialize(tag);
            if (!_tags.TryGetValue(tag, out var list)) _tags[tag] = list = new List<LogEntry>();
            Insert(list, entry);
        }

        static void Insert(List<LogEntry> list, LogEntry entry)
        {
            var i = list.Count;
            while (i > 0 && list[i - 1].Ordering > entry.Ordering) i--;
            if (i > 0 && list[i - 1].Ordering == entry.Ordering) return; // already there
            list.Insert(i, entry);
        }
    }

    /// <summary>Publishes an event in ordering order during a scan (tags given as a span of interned names).</summary>
    internal void PublishInOrder(LogEntry entry, ReadOnlySpan<string> tags)
    {
        _all.Add(entry);
        foreach (var tag in tags)
        {
            if (!_tags.TryGetValue(tag, out var list)) _tags[tag] = list = new List<LogEntry>();
            list.Add(entry);
        }
    }

    /// <summary>The highest ordering in the global list (0 when empty).</summary>
    internal long LastListedOrdering => _all.Count > 0 ? _all[^1].Ordering : _allPrefix?.LastOrdering ?? 0;

    /// <summary>Looks an id up by its UTF-8 bytes without allocating when it is known.</summary>
    internal PidState GetOrAdd(ReadOnlySpan<char> pid)
    {
        var lookup = _pids.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(pid, out var state)) return state;
        return GetOrAdd(pid.ToString());
    }
}
