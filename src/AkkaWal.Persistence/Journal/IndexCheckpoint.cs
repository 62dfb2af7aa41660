using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using AkkaWal.Storage;

namespace AkkaWal.Persistence.Journal;

/// <summary>Where one lazily loaded part of a checkpoint is: file offset, length and masked CRC32C of its bytes.</summary>
internal readonly record struct CheckpointSection(long Offset, int Length, uint MaskedCrc);

/// <summary>An ordering list's part that is still in the checkpoint file: its section, entry count and last entry.</summary>
internal sealed record ListPrefix(CheckpointSection Section, int Count, long LastOrdering, long LastPosition);

/// <summary>
/// The journal index checkpoint's bytes (layout in docs/FORMAT.md, "Index checkpoint"), version 2: a 64-byte header
/// naming the log and the position the checkpoint covers, anchors, then a directory that open reads and checks as a
/// whole (per persistence id its highest, delete state and where its events are; per ordering list its count, last
/// entry and where it is), then one section per id and per ordering list, each with its own checksum and read only
/// when first used. So open costs what the number of ids and tags costs, not what the number of events costs.
/// </summary>
internal static class IndexCheckpoint
{
    public const int HeaderSize = 64;
    /// <summary>Anchors: the live records with the highest positions below the covered position (fewer when the index holds fewer).</summary>
    public const int MaxAnchors = 8;
    private const int AnchorSize = 12;
    /// <summary>Where the directory starts; open reads this much first.</summary>
    public const int DirectoryStart = HeaderSize + MaxAnchors * AnchorSize;
    public const ushort Version = 2;
    public static ReadOnlySpan<byte> Magic => "AKWALJIX"u8;

    /// <summary>What the header says besides the index.</summary>
    /// <param name="LogId">The log id of the segments the checkpoint was taken of.</param>
    /// <param name="CoveredPosition">Every record below this log position is in the checkpoint; open reads the log from here.</param>
    /// <param name="Anchors">Records below the covered position and their payload checksums, checked against the log at
    /// open so a checkpoint of other contents is refused (compaction may have removed some since).</param>
    /// <param name="NextOrdering">The next ordering the journal would have assigned.</param>
    /// <param name="DeadBytes">Bytes of dead records below the covered position (compaction's trigger; an estimate).</param>
    /// <param name="DirectoryLength">Bytes of the directory (from <see cref="DirectoryStart"/>; its checksum follows).</param>
    public sealed record Header(ulong LogId, long CoveredPosition, IReadOnlyList<(long Position, uint Crc)> Anchors, long NextOrdering,
        long DeadBytes, int DirectoryLength)
    {
        /// <summary>File offset of the first section (section offsets in the directory count from here).</summary>
        public long SectionsStart => DirectoryStart + DirectoryLength + 4;
    }

    /// <summary>
    /// Encodes the index (under the index lock). Parts still unloaded from the checkpoint the index came from are copied
    /// byte for byte from <paramref name="source"/>, so a checkpoint costs the ids and lists that changed plus a copy.
    /// The anchors' checksums and the directory checksum are filled in by <see cref="SealWithAnchors"/>, outside the lock.
    /// </summary>
    public static byte[] Encode(JournalIndex index, ulong logId, long coveredPosition, long nextOrdering, IndexCheckpointSource? source)
    {
        var dir = new Writer(new ArrayBufferWriter<byte>(1 << 16));
        var sections = new Writer(new ArrayBufferWriter<byte>(1 << 16));
        var pids = index.ReportedPids;
        var pidNumbers = new Dictionary<PidState, int>(pids.Count, ReferenceEqualityComparer.Instance);
        var anchors = new SortedSet<long>();
        void Anchor(long position)
        {
            if (position < 0 || position >= coveredPosition) return;
            if (anchors.Count == MaxAnchors && position <= anchors.Min) return;
            if (anchors.Add(position) && anchors.Count > MaxAnchors) anchors.Remove(anchors.Min);
        }
        dir.VarInt((ulong)pids.Count);
        foreach (var pid in pids)
        {
            pidNumbers.Add(pid, pidNumbers.Count);
            dir.String(pid.Id);
            dir.VarInt((ulong)pid.Highest);
            dir.VarInt((ulong)pid.DeletedTo);
            dir.ZigZag(pid.MarkerPosition);
            dir.VarInt((ulong)pid.MarkerLength);
            Anchor(pid.MarkerPosition);
            var start = sections.Written;
            int count;
            long anchorCandidate;
            // A damaged section is not copied: reading the events then finds it and rebuilds them from the log.
            if (pid.Unloaded is { } unloaded && source!.ReadRaw(unloaded.Section) is { } raw)
            {
                sections.Raw(raw);
                count = unloaded.Count;
                anchorCandidate = unloaded.AnchorCandidate;
            }
            else
            {
                var entries = pid.Entries;
                count = entries.Count;
                anchorCandidate = -1;
                long previousSeq = 0, previousPosition = 0;
                foreach (var e in entries)
                {
                    sections.VarInt((ulong)(e.SequenceNr - previousSeq));
                    sections.ZigZag(e.Position - previousPosition);
                    sections.VarInt((ulong)e.Length);
                    previousSeq = e.SequenceNr;
                    previousPosition = e.Position;
                    if (e.Position < coveredPosition && e.Position > anchorCandidate) anchorCandidate = e.Position;
                }
            }
            Anchor(anchorCandidate);
            dir.VarInt((ulong)count);
            dir.ZigZag(anchorCandidate);
            WriteSection(ref dir, sections, start);
        }
        var tagNames = index.TagNames();
        tagNames.Sort(StringComparer.Ordinal);
        var lists = new List<string?>(1 + tagNames.Count) { null };
        lists.AddRange(tagNames);
        var listCountSlot = dir.Written;
        var written = 0;
        var listDir = new Writer(new ArrayBufferWriter<byte>(1 << 12));
        foreach (var tag in lists)
            if (WriteList(ref listDir, sections, tag, index, pidNumbers, source)) written++;
        dir.VarInt((ulong)written);
        dir.Raw(listDir.Buffer.WrittenSpan);

        var anchorList = anchors.Reverse().ToList();
        var directory = dir.Buffer.WrittenSpan;
        var bytes = new byte[DirectoryStart + directory.Length + 4 + sections.Written];
        var h = bytes.AsSpan(0, HeaderSize);
        Magic.CopyTo(h);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(h[10..], HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(h[16..], logId);
        BinaryPrimitives.WriteInt64LittleEndian(h[24..], coveredPosition);
        BinaryPrimitives.WriteInt32LittleEndian(h[32..], anchorList.Count);
        BinaryPrimitives.WriteInt32LittleEndian(h[36..], directory.Length);
        BinaryPrimitives.WriteInt64LittleEndian(h[40..], nextOrdering);
        BinaryPrimitives.WriteInt64LittleEndian(h[48..], index.DeadBytes);
        for (var i = 0; i < anchorList.Count; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(HeaderSize + i * AnchorSize), anchorList[i]);
        directory.CopyTo(bytes.AsSpan(DirectoryStart));
        sections.Buffer.WrittenSpan.CopyTo(bytes.AsSpan(DirectoryStart + directory.Length + 4));
        return bytes;
    }

    /// <summary>Ends the section that started at <paramref name="start"/>: its offset, length and checksum go to the directory.</summary>
    private static void WriteSection(ref Writer dir, Writer sections, int start)
    {
        var bytes = sections.Buffer.WrittenSpan[start..];
        dir.VarInt((ulong)start);
        dir.VarInt((ulong)bytes.Length);
        dir.UInt32(Crc32C.Mask(Crc32C.Compute(bytes)));
    }

    /// <summary>One ordering list: the still-unloaded prefix copied, then the loaded entries that are current. False
    /// (nothing written) for a tag list left empty.</summary>
    private static bool WriteList(ref Writer dir, Writer sections, string? tag, JournalIndex index, Dictionary<PidState, int> pidNumbers,
        IndexCheckpointSource? source)
    {
        var (prefix, loaded) = index.ListParts(tag);
        var raw = prefix is null ? null : source!.ReadRaw(prefix.Section);
        if (prefix is not null && raw is null)
        {
            loaded = index.LoadList(tag); // damaged: loading finds it and rebuilds the list from the log
            prefix = null;
        }
        var start = sections.Written;
        int count = 0;
        long previousOrdering = 0, previousPosition = 0;
        if (prefix is not null)
        {
            sections.Raw(raw);
            count = prefix.Count;
            previousOrdering = prefix.LastOrdering;
            previousPosition = prefix.LastPosition;
        }
        if (loaded is not null)
            foreach (var e in loaded)
            {
                if (!JournalIndex.IsCurrent(e)) continue;
                sections.VarInt((ulong)(e.Ordering - previousOrdering));
                sections.VarInt((ulong)pidNumbers[e.Pid]);
                sections.VarInt((ulong)e.SequenceNr);
                sections.ZigZag(e.Position - previousPosition);
                previousOrdering = e.Ordering;
                previousPosition = e.Position;
                count++;
            }
        if (count == 0 && tag is not null) return false;
        dir.Byte(tag is null ? (byte)0 : (byte)1);
        if (tag is not null) dir.String(tag);
        dir.VarInt((ulong)count);
        dir.VarInt((ulong)previousOrdering);
        dir.ZigZag(previousPosition);
        WriteSection(ref dir, sections, start);
        return true;
    }

    /// <summary>The anchor positions of an encoded checkpoint, highest first.</summary>
    public static long[] AnchorPositions(byte[] encoded)
    {
        var positions = new long[BinaryPrimitives.ReadInt32LittleEndian(encoded.AsSpan(32))];
        for (var i = 0; i < positions.Length; i++) positions[i] = BinaryPrimitives.ReadInt64LittleEndian(encoded.AsSpan(HeaderSize + i * AnchorSize));
        return positions;
    }

    /// <summary>Sets the anchors' payload checksums (in <see cref="AnchorPositions"/> order) and seals header and
    /// directory with their checksum.</summary>
    public static void SealWithAnchors(byte[] encoded, IReadOnlyList<uint> anchorCrcs)
    {
        for (var i = 0; i < anchorCrcs.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(encoded.AsSpan(HeaderSize + i * AnchorSize + 8), Crc32C.Mask(anchorCrcs[i]));
        var end = DirectoryStart + BinaryPrimitives.ReadInt32LittleEndian(encoded.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(encoded.AsSpan(end), Crc32C.Mask(Crc32C.Compute(encoded.AsSpan(0, end))));
    }

    /// <summary>Checks the header of a whole checkpoint file in memory (tools and tests).</summary>
    public static Header? ReadHeader(ReadOnlySpan<byte> file, out string? problem) => ReadHeader(file, file.Length, out problem);

    /// <summary>Checks the fixed header (the first <see cref="DirectoryStart"/> bytes); null and the problem when it is
    /// not a version-2 checkpoint header. <paramref name="fileLength"/> bounds the directory.</summary>
    public static Header? ReadHeader(ReadOnlySpan<byte> file, long fileLength, out string? problem)
    {
        problem = null;
        if (file.Length < DirectoryStart + 4) { problem = $"{fileLength} bytes is shorter than a checkpoint"; return null; }
        if (!file[..8].SequenceEqual(Magic)) { problem = "bad magic (not an index checkpoint)"; return null; }
        var version = BinaryPrimitives.ReadUInt16LittleEndian(file[8..]);
        if (version != Version) { problem = $"checkpoint version {version} is not supported (this build reads {Version})"; return null; }
        if (BinaryPrimitives.ReadUInt16LittleEndian(file[10..]) != HeaderSize) { problem = "unsupported header length"; return null; }
        var count = BinaryPrimitives.ReadInt32LittleEndian(file[32..]);
        if (count is < 0 or > MaxAnchors) { problem = $"{count} anchors (at most {MaxAnchors}): damaged"; return null; }
        var directoryLength = BinaryPrimitives.ReadInt32LittleEndian(file[36..]);
        if (directoryLength < 0 || DirectoryStart + (long)directoryLength + 4 > fileLength)
        {
            problem = $"directory of {directoryLength} bytes does not fit the file's {fileLength} bytes: damaged or truncated (checksum mismatch)";
            return null;
        }
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
            BinaryPrimitives.ReadInt64LittleEndian(file[48..]),
            directoryLength);
    }

    /// <summary>Checks the checksum of header and directory (<paramref name="headerAndDirectory"/>: the file's first
    /// <see cref="Header.SectionsStart"/> bytes); the problem, or null when it matches.</summary>
    public static string? CheckDirectory(ReadOnlySpan<byte> headerAndDirectory)
    {
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(headerAndDirectory[^4..]);
        var actual = Crc32C.Mask(Crc32C.Compute(headerAndDirectory[..^4]));
        return stored == actual ? null : $"checksum mismatch of header and directory (stored 0x{stored:x8}, computed 0x{actual:x8}): damaged or truncated";
    }

    /// <summary>Decodes the directory of a checked file into an index whose ids' events and ordering lists stay in the
    /// file until first used; throws <see cref="FormatException"/> when the directory is inconsistent.</summary>
    public static JournalIndex DecodeDirectory(ReadOnlySpan<byte> headerAndDirectory, Header header, long fileLength,
        IndexCheckpointSource source)
    {
        var r = new Reader(headerAndDirectory[DirectoryStart..^4]);
        var index = new JournalIndex { DeadBytes = header.DeadBytes, NextOrdering = header.NextOrdering };
        var sectionsLength = fileLength - header.SectionsStart;
        static CheckpointSection Section(ref Reader r, Header header, long sectionsLength)
        {
            var offset = (long)r.VarInt();
            var length = (long)r.VarInt();
            var crc = r.UInt32();
            if (offset + length > sectionsLength || length > int.MaxValue) throw new FormatException($"section at {offset} (+{length}) is outside the file");
            return new CheckpointSection(header.SectionsStart + offset, (int)length, crc);
        }
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
            if (pid.DeletedTo > pid.Highest && pid.Highest > 0) throw new FormatException($"persistence id {pid.Id}: deleted-to above highest");
            var count = (int)r.VarInt();
            var anchorCandidate = r.ZigZag();
            var section = Section(ref r, header, sectionsLength);
            if (count > section.Length) throw new FormatException($"persistence id {pid.Id}: {count} events in {section.Length} bytes");
            pid.SetUnloaded(new PidSection(section, count, anchorCandidate), source);
            index.AddLoadedPid(pid);
            pids[p] = pid;
        }
        source.Pids = pids;
        source.Index = index;
        index.Source = source;
        var lists = r.Count();
        if (lists < 1) throw new FormatException("the all-events list is missing");
        for (var l = 0; l < lists; l++)
        {
            var isTag = r.Byte() == 1;
            if (isTag == (l == 0)) throw new FormatException("the all-events list must come first, and only once");
            var tag = isTag ? r.String() : null;
            var count = (int)r.VarInt();
            var lastOrdering = (long)r.VarInt();
            var lastPosition = r.ZigZag();
            var section = Section(ref r, header, sectionsLength);
            if (count > section.Length) throw new FormatException($"ordering list {tag ?? "(all)"}: {count} entries in {section.Length} bytes");
            if (lastOrdering >= header.NextOrdering) throw new FormatException($"ordering {lastOrdering} is not below the next ordering {header.NextOrdering}");
            if (count > 0) index.SetListPrefix(tag, new ListPrefix(section, count, lastOrdering, lastPosition));
        }
        if (!r.AtEnd) throw new FormatException("bytes after the last ordering list");
        return index;
    }

    /// <summary>Decodes one id's events (a section whose checksum was checked).</summary>
    public static List<PidEntry> DecodePidEntries(ReadOnlySpan<byte> section, PidState pid, int count)
    {
        var r = new Reader(section);
        var entries = new List<PidEntry>(count);
        long seq = 0, position = 0;
        for (var i = 0; i < count; i++)
        {
            var step = (long)r.VarInt();
            if (step <= 0) throw new FormatException($"persistence id {pid.Id}: sequence numbers do not increase");
            seq += step;
            position += r.ZigZag();
            entries.Add(new PidEntry(seq, position, (int)r.VarInt()));
        }
        if (!r.AtEnd) throw new FormatException($"persistence id {pid.Id}: bytes after its last event");
        if (seq > pid.Highest || (count > 0 && entries[0].SequenceNr <= pid.DeletedTo))
            throw new FormatException($"persistence id {pid.Id}: events outside (deleted-to, highest]");
        return entries;
    }

    /// <summary>Decodes one ordering list's prefix (a section whose checksum was checked).</summary>
    public static List<LogEntry> DecodeList(ReadOnlySpan<byte> section, ListPrefix prefix, PidState[] pids)
    {
        var r = new Reader(section);
        var list = new List<LogEntry>(prefix.Count);
        long ordering = 0, position = 0;
        for (var i = 0; i < prefix.Count; i++)
        {
            var step = (long)r.VarInt();
            if (step <= 0) throw new FormatException("orderings do not increase");
            ordering += step;
            var pidNumber = r.VarInt();
            if (pidNumber >= (ulong)pids.Length) throw new FormatException($"persistence id number {pidNumber} out of range");
            var seq = (long)r.VarInt();
            position += r.ZigZag();
            list.Add(new LogEntry(ordering, position, pids[pidNumber], seq));
        }
        if (!r.AtEnd) throw new FormatException("bytes after the last entry");
        if (ordering != prefix.LastOrdering || position != prefix.LastPosition) throw new FormatException("the last entry is not the one the directory names");
        return list;
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
        public readonly void UInt32(uint v)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(Buffer.GetSpan(4), v);
            Buffer.Advance(4);
        }
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

        public uint UInt32()
        {
            if (_buffer.Length - _offset < 4) throw new FormatException("checkpoint ends early");
            var v = BinaryPrimitives.ReadUInt32LittleEndian(_buffer[_offset..]);
            _offset += 4;
            return v;
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
