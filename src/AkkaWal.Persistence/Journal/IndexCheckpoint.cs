using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using AkkaWal.Storage;

namespace AkkaWal.Persistence.Journal;

/// <summary>
/// The journal index checkpoint's bytes (layout in docs/FORMAT.md, "Index checkpoint"): a 64-byte header naming the
/// log and the position the checkpoint covers, then the index in compact LEB128 form, then a masked CRC32C of it all.
/// The index is written as it would be rebuilt: persistence ids in query order with their live events and delete
/// state, and the ordering lists (all events, then each tag) with only current entries.
/// </summary>
internal static class IndexCheckpoint
{
    public const int HeaderSize = 64;
    /// <summary>Anchors: the live records with the highest positions below the covered position (fewer when the index holds fewer).</summary>
    public const int MaxAnchors = 8;
    private const int AnchorSize = 12;
    private const int BodyStart = HeaderSize + MaxAnchors * AnchorSize;
    public const ushort Version = 1;
    public static ReadOnlySpan<byte> Magic => "AKWALJIX"u8;

    /// <summary>What the header says besides the index.</summary>
    /// <param name="LogId">The log id of the segments the checkpoint was taken of.</param>
    /// <param name="CoveredPosition">Every record below this log position is in the checkpoint; open reads the log from here.</param>
    /// <param name="Anchors">Records below the covered position and their payload checksums, checked against the log at
    /// open so a checkpoint of other contents is refused (compaction may have removed some since).</param>
    /// <param name="NextOrdering">The next ordering the journal would have assigned.</param>
    /// <param name="DeadBytes">Bytes of dead records below the covered position (compaction's trigger; an estimate).</param>
    public sealed record Header(ulong LogId, long CoveredPosition, IReadOnlyList<(long Position, uint Crc)> Anchors, long NextOrdering, long DeadBytes);

    /// <summary>Encodes the index; the anchors' checksums are filled in by <see cref="SealWithAnchors"/>, outside the index lock.</summary>
    public static byte[] Encode(JournalIndex index, ulong logId, long coveredPosition, long nextOrdering)
    {
        var w = new Writer(new ArrayBufferWriter<byte>(1 << 16));
        w.Raw(new byte[BodyStart]);
        var pids = index.ReportedPids;
        var pidNumbers = new Dictionary<PidState, int>(pids.Count, ReferenceEqualityComparer.Instance);
        var anchors = new SortedSet<long>();
        void Anchor(long position)
        {
            if (position < 0 || position >= coveredPosition) return;
            if (anchors.Count == MaxAnchors && position <= anchors.Min) return;
            if (anchors.Add(position) && anchors.Count > MaxAnchors) anchors.Remove(anchors.Min);
        }
        w.VarInt((ulong)pids.Count);
        foreach (var pid in pids)
        {
            pidNumbers.Add(pid, pidNumbers.Count);
            w.String(pid.Id);
            w.VarInt((ulong)pid.Highest);
            w.VarInt((ulong)pid.DeletedTo);
            w.ZigZag(pid.MarkerPosition);
            w.VarInt((ulong)pid.MarkerLength);
            Anchor(pid.MarkerPosition);
            var entries = pid.Entries;
            w.VarInt((ulong)entries.Count);
            long previousSeq = 0, previousPosition = 0;
            foreach (var e in entries)
            {
                w.VarInt((ulong)(e.SequenceNr - previousSeq));
                w.ZigZag(e.Position - previousPosition);
                w.VarInt((ulong)e.Length);
                previousSeq = e.SequenceNr;
                previousPosition = e.Position;
                if (e.Position < coveredPosition && (anchors.Count < MaxAnchors || e.Position > anchors.Min)) Anchor(e.Position);
            }
        }
        var tags = index.TagLists;
        w.VarInt((ulong)(1 + tags.Count));
        WriteList(ref w, null, index.AllEvents, pidNumbers);
        foreach (var (tag, list) in tags) WriteList(ref w, tag, list, pidNumbers);

        var bytes = new byte[w.Written + 4];
        w.Buffer.WrittenSpan.CopyTo(bytes);
        var h = bytes.AsSpan(0, HeaderSize);
        Magic.CopyTo(h);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(h[10..], HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(h[16..], logId);
        BinaryPrimitives.WriteInt64LittleEndian(h[24..], coveredPosition);
        BinaryPrimitives.WriteInt32LittleEndian(h[32..], anchors.Count);
        BinaryPrimitives.WriteInt64LittleEndian(h[40..], nextOrdering);
        BinaryPrimitives.WriteInt64LittleEndian(h[48..], index.DeadBytes);
        var slot = HeaderSize;
        foreach (var position in anchors.Reverse())
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(slot), position);
            slot += AnchorSize;
        }
        return bytes;
    }

    /// <summary>The anchor positions of an encoded checkpoint, highest first.</summary>
    public static long[] AnchorPositions(byte[] encoded)
    {
        var positions = new long[BinaryPrimitives.ReadInt32LittleEndian(encoded.AsSpan(32))];
        for (var i = 0; i < positions.Length; i++) positions[i] = BinaryPrimitives.ReadInt64LittleEndian(encoded.AsSpan(HeaderSize + i * AnchorSize));
        return positions;
    }

    /// <summary>Sets the anchors' payload checksums (in <see cref="AnchorPositions"/> order) and seals the file with its own checksum.</summary>
    public static void SealWithAnchors(byte[] encoded, IReadOnlyList<uint> anchorCrcs)
    {
        for (var i = 0; i < anchorCrcs.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(encoded.AsSpan(HeaderSize + i * AnchorSize + 8), Crc32C.Mask(anchorCrcs[i]));
        var body = encoded.AsSpan(0, encoded.Length - 4);
        BinaryPrimitives.WriteUInt32LittleEndian(encoded.AsSpan(encoded.Length - 4), Crc32C.Mask(Crc32C.Compute(body)));
    }

    private static void WriteList(ref Writer w, string? tag, List<LogEntry> list, Dictionary<PidState, int> pidNumbers)
    {
        w.Byte(tag is null ? (byte)0 : (byte)1);
        if (tag is not null) w.String(tag);
        var count = 0;
        foreach (var e in list) if (JournalIndex.IsCurrent(e)) count++;
        w.VarInt((ulong)count);
        long previous = 0;
        foreach (var e in list)
        {
            if (!JournalIndex.IsCurrent(e)) continue;
            w.VarInt((ulong)(e.Ordering - previous));
            previous = e.Ordering;
            w.VarInt((ulong)pidNumbers[e.Pid]);
            w.VarInt((ulong)e.Pid.LowerBound(e.SequenceNr));
        }
    }

    /// <summary>Checks the file's framing and checksum and reads its header; null and the problem when it is not valid.</summary>
    public static Header? ReadHeader(ReadOnlySpan<byte> file, out string? problem)
    {
        problem = null;
        if (file.Length < BodyStart + 4) { problem = $"{file.Length} bytes is shorter than a checkpoint"; return null; }
        if (!file[..8].SequenceEqual(Magic)) { problem = "bad magic (not an index checkpoint)"; return null; }
        var version = BinaryPrimitives.ReadUInt16LittleEndian(file[8..]);
        if (version != Version) { problem = $"checkpoint version {version} is not supported (this build reads {Version})"; return null; }
        if (BinaryPrimitives.ReadUInt16LittleEndian(file[10..]) != HeaderSize) { problem = "unsupported header length"; return null; }
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(file[^4..]);
        var actual = Crc32C.Mask(Crc32C.Compute(file[..^4]));
        if (stored != actual) { problem = $"checksum mismatch (stored 0x{stored:x8}, computed 0x{actual:x8}): damaged or truncated"; return null; }
        var count = BinaryPrimitives.ReadInt32LittleEndian(file[32..]);
        if (count is < 0 or > MaxAnchors) { problem = $"{count} anchors (at most {MaxAnchors})"; return null; }
        var anchors = new (long, uint)[count];
        for (var i = 0; i < count; i++)
        {
            var slot = file[(HeaderSize + i * AnchorSize)..];
            anchors[i] = (BinaryPrimitives.ReadInt64LittleEndian(slot), Crc32C.Unmask(BinaryPrimitives.ReadUInt32LittleEndian(slot[8..])));
        }
        return new Header(
            BinaryPrimitives.ReadUInt64LittleEndian(file[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(file[24..]),
            anchors,
            BinaryPrimitives.ReadInt64LittleEndian(file[40..]),
            BinaryPrimitives.ReadInt64LittleEndian(file[48..]));
    }

    /// <summary>Decodes the index of a file whose header and checksum were checked; throws <see cref="FormatException"/>
    /// when the contents are inconsistent.</summary>
    public static JournalIndex DecodeIndex(ReadOnlySpan<byte> file, Header header)
    {
        var r = new Reader(file[BodyStart..^4]);
        var index = new JournalIndex { DeadBytes = header.DeadBytes, NextOrdering = header.NextOrdering };
        var pids = new PidState[r.Count()];
        for (var p = 0; p < pids.Length; p++)
        {
            var pid = new PidState(r.String())
            {
                Highest = (long)r.VarInt(),
                DeletedTo = (long)r.VarInt(),
                MarkerPosition = r.ZigZag(),
                MarkerLength = (int)r.VarInt(),
            };
            var count = r.Count();
            var entries = pid.Entries;
            entries.Capacity = count;
            long seq = 0, position = 0;
            for (var i = 0; i < count; i++)
            {
                var step = (long)r.VarInt();
                if (step <= 0) throw new FormatException($"persistence id {pid.Id}: sequence numbers do not increase");
                seq += step;
                position += r.ZigZag();
                entries.Add(new PidEntry(seq, position, (int)r.VarInt()));
            }
            if (seq > pid.Highest || (count > 0 && entries[0].SequenceNr <= pid.DeletedTo))
                throw new FormatException($"persistence id {pid.Id}: events outside (deleted-to, highest]");
            index.AddLoadedPid(pid);
            pids[p] = pid;
        }
        var lists = r.Count();
        if (lists < 1) throw new FormatException("the all-events list is missing");
        for (var l = 0; l < lists; l++)
        {
            var isTag = r.Byte() == 1;
            if (isTag == (l == 0)) throw new FormatException("the all-events list must come first, and only once");
            var tag = isTag ? r.String() : null;
            var count = r.Count();
            var list = new List<LogEntry>(count);
            long ordering = 0;
            for (var i = 0; i < count; i++)
            {
                var step = (long)r.VarInt();
                if (step <= 0) throw new FormatException("orderings do not increase");
                ordering += step;
                var pidNumber = r.VarInt();
                if (pidNumber >= (ulong)pids.Length) throw new FormatException($"persistence id number {pidNumber} out of range");
                var pid = pids[pidNumber];
                var entryIndex = r.VarInt();
                if (entryIndex >= (ulong)pid.Entries.Count) throw new FormatException($"event number {entryIndex} of {pid.Id} out of range");
                var entry = pid.Entries[(int)entryIndex];
                list.Add(new LogEntry(ordering, entry.Position, pid, entry.SequenceNr));
            }
            if (ordering >= header.NextOrdering) throw new FormatException($"ordering {ordering} is not below the next ordering {header.NextOrdering}");
            index.SetOrderingList(tag, list);
        }
        if (!r.AtEnd) throw new FormatException("bytes after the last ordering list");
        return index;
    }

    private struct Writer(ArrayBufferWriter<byte> buffer)
    {
        public ArrayBufferWriter<byte> Buffer { get; } = buffer;
        public readonly int Written => Buffer.WrittenCount;

        public readonly void Raw(ReadOnlySpan<byte> bytes) => Buffer.Write(bytes);
        public readonly void Byte(byte b)
        {
            Buffer.GetSpan(1)[0] = b;
            Buffer.Advance(1);
        }
        public readonly void VarInt(ulong v)
        {
            var span = Buffer.GetSpan(10);
            var n = 0;
            while (v >= 0x80) { span[n++] = (byte)(v | 0x80); v >>= 7; }
            span[n++] = (byte)v;
            Buffer.Advance(n);
        }
        public readonly void ZigZag(long v) => VarInt((ulong)((v << 1) ^ (v >> 63)));
        public readonly void String(string s)
        {
            var n = Encoding.UTF8.GetByteCount(s);
            VarInt((ulong)n);
            Buffer.Advance(Encoding.UTF8.GetBytes(s, Buffer.GetSpan(n)));
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> buffer)
    {
        private readonly ReadOnlySpan<byte> _buffer = buffer;
        private int _offset;

        public readonly bool AtEnd => _offset == _buffer.Length;

        public byte Byte() => _offset < _buffer.Length ? _buffer[_offset++] : throw new FormatException("checkpoint ends early");

        public ulong VarInt()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw new FormatException("LEB128 number longer than 10 bytes");
        }

        public long ZigZag()
        {
            var v = VarInt();
            return (long)(v >> 1) ^ -(long)(v & 1);
        }

        /// <summary>A count, checked against the bytes left (every counted item takes at least one byte).</summary>
        public int Count()
        {
            var v = VarInt();
            if (v > (ulong)(_buffer.Length - _offset)) throw new FormatException($"count {v} exceeds the checkpoint");
            return (int)v;
        }

        public string String()
        {
            var n = Count();
            var s = Encoding.UTF8.GetString(_buffer.Slice(_offset, n));
            _offset += n;
            return s;
        }
    }
}
