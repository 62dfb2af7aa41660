using System.Buffers.Binary;
using System.Text;

namespace AkkaWal.Persistence.Journal;

/// <summary>
/// Binary, versioned encoding of journal records (the layout is documented in docs/FORMAT.md, "Journal records").
/// All integers are little-endian; strings are a LEB128 length followed by UTF-8 bytes.
/// </summary>
internal static class JournalRecordCodec
{
    public const byte Version = 1;

    /// <summary>Byte offset of the ordering in an event record; the journal fills it in when it assigns the ordering.</summary>
    public const int OrderingOffset = 2;

    private const int EventFixedSize = 2 + 8 + 8 + 8 + 4;   // kind, version, ordering, seqNr, timestamp, serializer id
    private const int MarkerFixedSize = 2 + 8 + 8 + 8;      // kind, version, to, highest, high-water ordering (after the id)

    public static byte[] EncodeEvent(EventRecord e) => EncodeEvent(e.Ordering, e.SequenceNr, e.Timestamp, e.PersistenceId,
        e.Tags, e.WriterGuid, e.EventManifest, e.SerializerId, e.SerializerManifest, e.Payload.Span);

    /// <summary>The journal's hot path: the fields as they are, no <see cref="EventRecord"/> in between.</summary>
    public static byte[] EncodeEvent(long ordering, long sequenceNr, long timestamp, string persistenceId, IReadOnlyList<string> tags,
        string writerGuid, string eventManifest, int serializerId, string serializerManifest, ReadOnlySpan<byte> payload)
    {
        var size = EventFixedSize + StringSize(persistenceId) + VarIntSize((uint)tags.Count)
                   + StringSize(writerGuid) + StringSize(eventManifest) + StringSize(serializerManifest) + payload.Length;
        for (var i = 0; i < tags.Count; i++) size += StringSize(tags[i]);

        var buffer = new byte[size];
        var w = new Writer(buffer);
        w.Byte((byte)JournalRecordKind.Event);
        w.Byte(Version);
        w.Int64(ordering);
        w.Int64(sequenceNr);
        w.Int64(timestamp);
        w.Int32(serializerId);
        w.String(persistenceId);
        w.VarInt((uint)tags.Count);
        for (var i = 0; i < tags.Count; i++) w.String(tags[i]);
        w.String(writerGuid);
        w.String(eventManifest);
        w.String(serializerManifest);
        w.Bytes(payload);
        return buffer;
    }

    public static void SetOrdering(Span<byte> encodedEvent, long ordering)
        => BinaryPrimitives.WriteInt64LittleEndian(encodedEvent[OrderingOffset..], ordering);

    public static byte[] EncodeDeleteMarker(DeleteMarker m)
    {
        var buffer = new byte[MarkerFixedSize + StringSize(m.PersistenceId)];
        var w = new Writer(buffer);
        w.Byte((byte)JournalRecordKind.DeleteMarker);
        w.Byte(Version);
        w.Int64(m.ToSequenceNr);
        w.Int64(m.HighestSequenceNr);
        w.String(m.PersistenceId);
        w.Int64(m.HighWaterOrdering);
        return buffer;
    }

    /// <summary>The kind of a record; throws <see cref="JournalFormatException"/> for an unknown kind or version.</summary>
    public static JournalRecordKind KindOf(ReadOnlySpan<byte> record, long position)
    {
        if (record.Length < 2) throw new JournalFormatException(position, $"record of {record.Length} bytes is too short");
        var kind = (JournalRecordKind)record[0];
        if (kind is not (JournalRecordKind.Event or JournalRecordKind.DeleteMarker))
            throw new JournalFormatException(position, $"unknown record kind {record[0]}");
        if (record[1] != Version)
            throw new JournalFormatException(position, $"record version {record[1]} is not supported (this build reads version {Version})");
        return kind;
    }

    public static EventHeader DecodeEventHeader(ReadOnlySpan<byte> record, long position)
    {
        var fields = ReadEventIndexFields(record, position);
        var tags = fields.TagCount == 0 ? Array.Empty<string>() : new string[fields.TagCount];
        for (var i = 0; fields.NextTag(out var tag); i++) tags[i] = Encoding.UTF8.GetString(tag);
        return new EventHeader(fields.Ordering, fields.SequenceNr, Encoding.UTF8.GetString(fields.PersistenceIdUtf8), tags);
    }

    /// <summary>
    /// The fields of an event record the index needs, as views into the record (no allocation): what the rebuild at
    /// open reads for every record. Tags are read one by one with <see cref="EventIndexFields.NextTag"/>.
    /// </summary>
    public static EventIndexFields ReadEventIndexFields(ReadOnlySpan<byte> record, long position)
    {
        try
        {
            var r = new Reader(record, 2);
            var ordering = r.Int64();
            var seqNr = r.Int64();
            r.Skip(8 + 4);
            var pid = r.Bytes(r.Count());
            var tagCount = r.Count();
            return new EventIndexFields(ordering, seqNr, pid, tagCount, record[r.Offset..], position);
        }
        catch (Exception e) when (e is not JournalFormatException)
        {
            throw new JournalFormatException(position, $"event record is malformed ({e.Message})");
        }
    }

    /// <summary>The index fields of one event record; the persistence id and tags as UTF-8 views into the record.</summary>
    public ref struct EventIndexFields(long ordering, long sequenceNr, ReadOnlySpan<byte> persistenceIdUtf8, int tagCount,
        ReadOnlySpan<byte> tagsAndRest, long position)
    {
        private ReadOnlySpan<byte> _rest = tagsAndRest;
        private int _tagsLeft = tagCount;

        public long Ordering { get; } = ordering;
        public long SequenceNr { get; } = sequenceNr;
        public ReadOnlySpan<byte> PersistenceIdUtf8 { get; } = persistenceIdUtf8;
        public int TagCount { get; } = tagCount;

        /// <summary>The next tag's UTF-8 bytes; false when every tag was read.</summary>
        public bool NextTag(out ReadOnlySpan<byte> tagUtf8)
        {
            tagUtf8 = default;
            if (_tagsLeft == 0) return false;
            try
            {
                var r = new Reader(_rest, 0);
                tagUtf8 = r.Bytes(r.Count());
                _rest = _rest[r.Offset..];
            }
            catch (Exception e)
            {
                throw new JournalFormatException(position, $"event record is malformed ({e.Message})");
            }
            _tagsLeft--;
            return true;
        }
    }

    public static EventRecord DecodeEvent(ReadOnlyMemory<byte> record, long position)
    {
        try
        {
            var r = new Reader(record.Span, 2);
            var ordering = r.Int64();
            var seqNr = r.Int64();
            var timestamp = r.Int64();
            var serializerId = r.Int32();
            var pid = r.String();
            var tags = new string[r.Count()];
            for (var i = 0; i < tags.Length; i++) tags[i] = r.String();
            var writerGuid = r.String();
            var eventManifest = r.String();
            var serializerManifest = r.String();
            return new EventRecord(ordering, seqNr, timestamp, pid, tags, writerGuid, eventManifest, serializerId,
                serializerManifest, record[r.Offset..]);
        }
        catch (Exception e) when (e is not JournalFormatException)
        {
            throw new JournalFormatException(position, $"event record is malformed ({e.Message})");
        }
    }

    public static DeleteMarker DecodeDeleteMarker(ReadOnlySpan<byte> record, long position)
    {
        try
        {
            var r = new Reader(record, 2);
            var to = r.Int64();
            var highest = r.Int64();
            var pid = r.String();
            // Markers written before the high-water ordering was added end after the id.
            var highWater = r.AtEnd ? 0 : r.Int64();
            return new DeleteMarker(pid, to, highest, highWater);
        }
        catch (Exception e) when (e is not JournalFormatException)
        {
            throw new JournalFormatException(position, $"delete marker is malformed ({e.Message})");
        }
    }

    private static int StringSize(string s)
    {
        var n = Encoding.UTF8.GetByteCount(s);
        return VarIntSize((uint)n) + n;
    }

    private static int VarIntSize(uint v)
    {
        var n = 1;
        while (v >= 0x80) { v >>= 7; n++; }
        return n;
    }

    private ref struct Writer(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;
        private int _offset;

        public void Byte(byte b) => _buffer[_offset++] = b;
        public void Int32(int v) { BinaryPrimitives.WriteInt32LittleEndian(_buffer[_offset..], v); _offset += 4; }
        public void Int64(long v) { BinaryPrimitives.WriteInt64LittleEndian(_buffer[_offset..], v); _offset += 8; }
        public void VarInt(uint v)
        {
            while (v >= 0x80) { _buffer[_offset++] = (byte)(v | 0x80); v >>= 7; }
            _buffer[_offset++] = (byte)v;
        }
        public void String(string s)
        {
            var n = Encoding.UTF8.GetByteCount(s);
            VarInt((uint)n);
            _offset += Encoding.UTF8.GetBytes(s, _buffer[_offset..]);
        }
        public void Bytes(ReadOnlySpan<byte> bytes) { bytes.CopyTo(_buffer[_offset..]); _offset += bytes.Length; }
    }

    private ref struct Reader(ReadOnlySpan<byte> buffer, int offset)
    {
        private readonly ReadOnlySpan<byte> _buffer = buffer;
        public int Offset { get; private set; } = offset;
        public bool AtEnd => Offset >= _buffer.Length;

        public long Int64() { var v = BinaryPrimitives.ReadInt64LittleEndian(_buffer[Offset..]); Offset += 8; return v; }
        public int Int32() { var v = BinaryPrimitives.ReadInt32LittleEndian(_buffer[Offset..]); Offset += 4; return v; }
        public void Skip(int n)
        {
            if (Offset + n > _buffer.Length) throw new ArgumentOutOfRangeException(nameof(n), "record ends early");
            Offset += n;
        }
        public int Count()
        {
            var v = VarInt();
            if (v > _buffer.Length - Offset) throw new ArgumentOutOfRangeException(nameof(v), $"count {v} exceeds the record");
            return (int)v;
        }
        public ReadOnlySpan<byte> Bytes(int n)
        {
            var bytes = _buffer.Slice(Offset, n);
            Offset += n;
            return bytes;
        }
        public string String()
        {
            var n = Count();
            var s = Encoding.UTF8.GetString(_buffer.Slice(Offset, n));
            Offset += n;
            return s;
        }
        private uint VarInt()
        {
            uint result = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = _buffer[Offset++];
                result |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw new ArgumentOutOfRangeException(nameof(VarInt), "length prefix longer than 5 bytes");
        }
    }
}

/// <summary>A journal record that cannot be decoded; names the log position.</summary>
public sealed class JournalFormatException(long position, string message)
    : Exception($"journal record at log position {position}: {message}")
{
    /// <summary>Log position of the bad record.</summary>
    public long Position { get; } = position;
}
