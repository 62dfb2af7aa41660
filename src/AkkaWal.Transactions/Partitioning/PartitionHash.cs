using System.Text;

namespace AkkaWal.Transactions.Partitioning;

/// <summary>Maps a tx id to its partition with 32-bit FNV-1a over UTF-8: the same id lands on the same partition in every
/// process and version (string.GetHashCode is randomized per process, so it cannot be used).</summary>
public static class PartitionHash
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

    public static int PartitionOf(string txId, int partitions) => (int)(Fnv1a(txId) % (uint)partitions);
}
