using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace AkkaWal.Persistence.Snapshot;

/// <summary>What one snapshot file holds.</summary>
internal sealed record SnapshotFileContent(string PersistenceId, long SequenceNr, DateTime Timestamp, int SerializerId, string Manifest, byte[] Payload);

/// <summary>
/// The snapshot file format (docs/FORMAT.md, "Snapshot files"): magic "AWSN", version 1, persistence id, sequence
/// number, timestamp (UTC ticks), serializer id, manifest, payload length and bytes, then CRC-32 of all preceding bytes.
/// </summary>
internal static class SnapshotFile
{
    private static readonly byte[] Magic = "AWSN"u8.ToArray();
    private const byte Version = 1;

    public static byte[] Encode(SnapshotFileContent c)
    {
        using var ms = new MemoryStream(64 + c.Payload.Length);
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(c.PersistenceId);
            w.Write(c.SequenceNr);
            w.Write(c.Timestamp.Ticks);
            w.Write(c.SerializerId);
            w.Write(c.Manifest);
            w.Write(c.Payload.Length);
            w.Write(c.Payload);
        }
        var crc = Crc32.HashToUInt32(ms.GetBuffer().AsSpan(0, (int)ms.Length));
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
        ms.Write(trailer);
        return ms.ToArray();
    }

    /// <summary>Decodes and verifies a whole file; throws <see cref="InvalidDataException"/> naming the file when damaged.</summary>
    public static SnapshotFileContent Decode(byte[] bytes, string path)
    {
        if (bytes.Length < Magic.Length + 5 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"snapshot file {path}: not a snapshot file (bad magic or too short, {bytes.Length} bytes)");
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        var actual = Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4));
        if (stored != actual)
            throw new InvalidDataException($"snapshot file {path}: checksum mismatch (stored {stored:x8}, computed {actual:x8})");
        return ReadFrom(new MemoryStream(bytes, 0, bytes.Length - 4), path, header: false);
    }

    /// <summary>Reads only the header (id, sequence number, timestamp) without the payload or checksum check.</summary>
    public static SnapshotFileContent ReadHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
        return ReadFrom(stream, path, header: true);
    }

    private static SnapshotFileContent ReadFrom(Stream stream, string path, bool header)
    {
        try
        {
            using var r = new BinaryReader(stream, Encoding.UTF8);
            var magic = r.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("bad magic");
            var version = r.ReadByte();
            if (version != Version) throw new InvalidDataException($"version {version} is not supported (this build reads {Version})");
            var pid = r.ReadString();
            var seqNr = r.ReadInt64();
            var timestamp = new DateTime(r.ReadInt64(), DateTimeKind.Utc);
            if (header) return new SnapshotFileContent(pid, seqNr, timestamp, 0, "", Array.Empty<byte>());
            var serializerId = r.ReadInt32();
            var manifest = r.ReadString();
            var length = r.ReadInt32();
            var payload = r.ReadBytes(length);
            if (payload.Length != length) throw new InvalidDataException($"payload of {length} bytes is cut short");
            return new SnapshotFileContent(pid, seqNr, timestamp, serializerId, manifest, payload);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentOutOfRangeException or FormatException)
        {
            throw new InvalidDataException($"snapshot file {path}: {e.Message}", e);
        }
    }
}
