using System.Security.Cryptography;
using System.Text;

namespace AkkaWal.Persistence.Snapshot;

/// <summary>
/// File names of snapshots: `{key}.{sequenceNr:D19}.snap`. The key is the persistence id escaped to [a-z0-9-] with
/// `_hh` per other UTF-8 byte and prefixed `e`, or, when that would be long, `h` + SHA-256 of the id (the id itself
/// is stored inside the file). A key never contains '.', so a name splits unambiguously: no id is a prefix of another.
/// </summary>
internal static class SnapshotFileName
{
    public const string Extension = ".snap";
    public const string TempExtension = ".tmp";
    private const int MaxEscapedLength = 150;

    public static string KeyOf(string persistenceId)
    {
        var bytes = Encoding.UTF8.GetBytes(persistenceId);
        var sb = new StringBuilder("e", bytes.Length + 1);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-') sb.Append((char)b);
            else sb.Append('_').Append(b.ToString("x2"));
            if (sb.Length > MaxEscapedLength) return "h" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        return sb.ToString();
    }

    public static string Of(string persistenceId, long sequenceNr) => $"{KeyOf(persistenceId)}.{sequenceNr:D19}{Extension}";

    /// <summary>Splits a snapshot file name; false for anything else (temp files, strangers).</summary>
    public static bool TryParse(string fileName, out string key, out long sequenceNr)
    {
        key = "";
        sequenceNr = 0;
        if (!fileName.EndsWith(Extension, StringComparison.Ordinal)) return false;
        var parts = fileName[..^Extension.Length].Split('.');
        if (parts.Length != 2 || parts[0].Length < 2 || parts[0][0] is not ('e' or 'h')) return false;
        if (parts[1].Length != 19 || !long.TryParse(parts[1], out sequenceNr)) return false;
        key = parts[0];
        return true;
    }

    /// <summary>The persistence id of an escaped key; null for a hashed key (read the id from the file).</summary>
    public static string? TryDecode(string key)
    {
        if (key[0] != 'e') return null;
        var bytes = new List<byte>(key.Length);
        for (var i = 1; i < key.Length; i++)
        {
            if (key[i] != '_') { bytes.Add((byte)key[i]); continue; }
            if (i + 2 >= key.Length) return null;
            bytes.Add(Convert.ToByte(key.Substring(i + 1, 2), 16));
            i += 2;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
