using AkkaWal.Transactions.Partitioning;

namespace AkkaWal.Benchmarks.Transactions;

/// <summary>The keys of the throughput cells: drawn from a shared pool of <paramref name="size"/> keys (<c>key-0</c> ..),
/// one key (one partition) or two keys in two different partitions.</summary>
public sealed class TransactionKeyPool(int size, int partitions)
{
    public string[] Pick(TransactionShape shape, Random random)
    {
        var first = "key-" + random.Next(size);
        if (shape != TransactionShape.TwoPartitions || partitions < 2)
            return [first];
        var firstPartition = PartitionHash.PartitionOf(first, partitions);
        string second;
        do second = "key-" + random.Next(size);
        while (PartitionHash.PartitionOf(second, partitions) == firstPartition);
        return [first, second];
    }
}
