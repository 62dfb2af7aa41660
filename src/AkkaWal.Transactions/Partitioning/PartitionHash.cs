using System.Text;

namespace AkkaWal.Transactions.Partitioning;

/// <summary>Maps a key to the partition that owns it with 32-bit FNV-1a over UTF-8: the same id lands on the same partition in every
/// process and version (string.GetHashCode is randomized per process, so it cannot be used).</summary>
internal static class PartitionHash
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    public static uint Fnv1a(string text)
    {
        Span<byte> stack = stackalloc byte[256];
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var bytes = max <= stack.Length ? stack : new byte[max];
        var length = Encoding.UTF8.GetBytes(text, bytes);
        var hash = OffsetBasis;
        foreach (var b in bytes[..length])
        {
            hash ^= b;
            hash *= Prime;
        }
        return hash;
    }

    /// <summary>The partition that owns <paramref name="key"/>.</summary>
    public static int PartitionOf(string key, int partitions) => (int)(Fnv1a(key) % (uint)partitions);

    /// <summary>The home of a transaction among its (sorted) participants: where its decision is recorded.</summary>
    public static int HomeOf(string txId, IReadOnlyList<int> participants) => participants[(int)(Fnv1a(txId) % (uint)participants.Count)];
}
