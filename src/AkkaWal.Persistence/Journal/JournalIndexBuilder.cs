using System.Text;
using AkkaWal.Storage;

namespace AkkaWal.Persistence.Journal;

/// <summary>
/// Applies log records read at open to an index: every record of the log (full rebuild), or the records after a
/// checkpoint's position (then the index starts as the checkpoint). Reads only the index fields of each record, as
/// views into the read chunk: known persistence ids and tags are looked up without allocating, an event without tags
/// allocates nothing, and events are published to the ordering lists as they come (no temporary list of all events).
/// Applying a record the index already holds changes nothing, so the tail may overlap the checkpoint.
/// </summary>
internal sealed class JournalIndexBuilder
{
    private const int MaxStackChars = 256;

    private readonly JournalIndex _index;
    private readonly long _publishedUpTo;
    private readonly Dictionary<string, string> _tagNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _tagLookup;
    private string[] _tags = new string[4];
    private long _maxOrdering;
    private long _highWaterOrdering; // from delete markers: orderings of deleted (perhaps compacted) events

    /// <param name="index">The index to apply records to.</param>
    /// <param name="publishedUpTo">Events with an ordering at or below this are in the index's ordering lists already
    /// (the checkpoint's); only later ones are published.</param>
    public JournalIndexBuilder(JournalIndex index, long publishedUpTo)
    {
        _index = index;
        _publishedUpTo = publishedUpTo;
        _tagLookup = _tagNames.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var tag in index.TagNames()) _tagNames[tag] = tag;
    }

    /// <summary>Records applied so far.</summary>
    public long Records { get; private set; }

    public void Apply(LogRecord record)
    {
        Records++;
        var span = record.Payload.Span;
        if (JournalRecordCodec.KindOf(span, record.Position) == JournalRecordKind.DeleteMarker)
        {
            var marker = JournalRecordCodec.DecodeDeleteMarker(span, record.Position);
            _index.ApplyDelete(marker, record.Position, span.Length);
            _highWaterOrdering = Math.Max(_highWaterOrdering, marker.HighWaterOrdering);
            return;
        }
        var fields = JournalRecordCodec.ReadEventIndexFields(span, record.Position);
        var pid = _index.GetOrAdd(Chars(fields.PersistenceIdUtf8, stackalloc char[MaxStackChars]));
        _index.AddEvent(pid, fields.SequenceNr, record.Position, span.Length);
        var ordering = fields.Ordering;
        if (ordering <= _publishedUpTo || pid.IsDeleted(fields.SequenceNr)) { Track(ordering); return; }
        if (_tags.Length < fields.TagCount) _tags = new string[fields.TagCount];
        var n = 0;
        while (fields.NextTag(out var tag)) _tags[n++] = Intern(tag);
        var entry = new LogEntry(ordering, record.Position, pid, fields.SequenceNr);
        if (ordering > _index.LastListedOrdering) _index.PublishInOrder(entry, _tags.AsSpan(0, n));
        else _index.PublishOutOfOrder(entry, _tags.AsSpan(0, n));
        Track(ordering);
    }

    private void Track(long ordering)
    {
        if (ordering > _maxOrdering) _maxOrdering = ordering;
    }

    /// <summary>Ends the scan: drops list entries deleted or superseded later in the log and sets the next ordering,
    /// never below <paramref name="nextOrdering"/> (the checkpoint's).</summary>
    public JournalIndex Finish(long nextOrdering)
    {
        _index.DropStaleEntries();
        // Never hand out an ordering again, also when compaction removed the events that held the highest ones.
        _index.NextOrdering = Math.Max(nextOrdering, Math.Max(_maxOrdering, _highWaterOrdering) + 1);
        return _index;
    }

    private string Intern(ReadOnlySpan<byte> utf8)
    {
        var chars = Chars(utf8, stackalloc char[MaxStackChars]);
        if (_tagLookup.TryGetValue(chars, out var name)) return name;
        name = chars.ToString();
        _tagNames[name] = name;
        return name;
    }

    /// <summary>UTF-8 to chars in the given stack buffer, or a new array when it does not fit.</summary>
    private static ReadOnlySpan<char> Chars(ReadOnlySpan<byte> utf8, Span<char> buffer)
    {
        if (utf8.Length > buffer.Length) return Encoding.UTF8.GetString(utf8);
        var n = Encoding.UTF8.GetChars(utf8, buffer);
        return buffer[..n];
    }
}
