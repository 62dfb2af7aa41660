using System.Text;
using AkkaWal.Storage;

namespace AkkaWal.Persistence.Journal;

/// <summary>
/// The checkpoint an index was opened from, kept open while parts of the index are still only in it: an id's events
/// and the ordering lists are read from it on first use (one read each, under the index lock) and copied from it
/// when the next checkpoint is written. The handle stays valid after a newer checkpoint is renamed over the file.
/// Every section is checked against its checksum before use; a damaged one is never trusted: it is rebuilt from the
/// records of the log below the checkpoint's covered position, with a warning.
/// </summary>
internal sealed class IndexCheckpointSource(IWalFile file, WriteAheadLog wal, long coveredPosition, Action<string> warn) : IDisposable
{
    /// <summary>The ids in checkpoint order (ordering lists name them by number).</summary>
    public PidState[] Pids { get; set; } = [];

    /// <summary>The index the sections belong to (to find ids when a list is rebuilt from the log).</summary>
    public JournalIndex? Index { get; set; }

    /// <summary>Sections found damaged and rebuilt from the log (tests and the warning count them).</summary>
    public int Rebuilt { get; private set; }

    /// <summary>The section's bytes when they match their checksum, else null.</summary>
    public byte[]? ReadRaw(CheckpointSection section)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(section.Length);
        if (file.Read(section.Offset, bytes) != bytes.Length) return null;
        return Crc32C.Mask(Crc32C.Compute(bytes)) == section.MaskedCrc ? bytes : null;
    }

    public List<PidEntry> LoadEntries(PidState pid, PidSection unloaded) =>
        LoadSection(unloaded.Section, bytes => IndexCheckpoint.DecodePidEntries(bytes, pid, unloaded.Count),
            () => $"the events of persistence id {pid.Id}", () => RebuildEntries(pid));

    public List<LogEntry> LoadList(string? tag, ListPrefix prefix) =>
        LoadSection(prefix.Section, bytes => IndexCheckpoint.DecodeList(bytes, prefix, Pids),
            () => tag is null ? "the all-events list" : $"the list of tag {tag}", () => RebuildList(tag, prefix));

    /// <summary>Decodes a section that matches its checksum; a damaged one (checksum or decode) is reported and rebuilt.</summary>
    private T LoadSection<T>(CheckpointSection section, Func<byte[], T> decode, Func<string> what, Func<T> rebuild)
    {
        string problem;
        if (ReadRaw(section) is { } bytes)
        {
            try { return decode(bytes); }
            catch (FormatException e) { problem = e.Message; }
        }
        else problem = "checksum mismatch";
        Rebuilt++;
        warn($"index checkpoint {file.Path}: the section holding {what()} (offset {section.Offset}, {section.Length} bytes) is damaged ({problem}); rebuilt from the log");
        return rebuild();
    }

    /// <summary>An id's live events below the covered position, from the log (a later record of one sequence number wins).</summary>
    private List<PidEntry> RebuildEntries(PidState pid)
    {
        var id = Encoding.UTF8.GetBytes(pid.Id);
        var bySeq = new SortedDictionary<long, PidEntry>();
        foreach (var record in RecordsBelowCovered())
        {
            var span = record.Payload.Span;
            if (JournalRecordCodec.KindOf(span, record.Position) != JournalRecordKind.Event) continue;
            var fields = JournalRecordCodec.ReadEventIndexFields(span, record.Position);
            if (!fields.PersistenceIdUtf8.SequenceEqual(id) || pid.IsDeleted(fields.SequenceNr)) continue;
            bySeq[fields.SequenceNr] = new PidEntry(fields.SequenceNr, record.Position, span.Length);
        }
        return bySeq.Values.ToList();
    }

    /// <summary>A list's entries up to the prefix's last ordering, from the log (current ones only).</summary>
    private List<LogEntry> RebuildList(string? tag, ListPrefix prefix)
    {
        var tagBytes = tag is null ? null : Encoding.UTF8.GetBytes(tag);
        var list = new List<LogEntry>();
        foreach (var record in RecordsBelowCovered())
        {
            var span = record.Payload.Span;
            if (JournalRecordCodec.KindOf(span, record.Position) != JournalRecordKind.Event) continue;
            var fields = JournalRecordCodec.ReadEventIndexFields(span, record.Position);
            if (fields.Ordering > prefix.LastOrdering) continue;
            var tagged = tagBytes is null;
            while (!tagged && fields.NextTag(out var t)) tagged = t.SequenceEqual(tagBytes);
            if (!tagged || Index!.Find(Encoding.UTF8.GetString(fields.PersistenceIdUtf8)) is not { } pid) continue;
            var entry = new LogEntry(fields.Ordering, record.Position, pid, fields.SequenceNr);
            if (JournalIndex.IsCurrent(entry)) list.Add(entry);
        }
        list.Sort((a, b) => a.Ordering.CompareTo(b.Ordering));
        return list;
    }

    private IEnumerable<LogRecord> RecordsBelowCovered()
    {
        foreach (var record in wal.ReadFrom())
        {
            if (record.Position >= coveredPosition) yield break;
            yield return record;
        }
    }

    public void Dispose() => file.Dispose();
}
