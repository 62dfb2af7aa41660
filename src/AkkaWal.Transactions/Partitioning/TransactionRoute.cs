using System.Collections.Concurrent;
using System.Text.Json;

namespace AkkaWal.Transactions.Partitioning;

/// <summary>Where a transaction lives: its participant partitions (sorted) and its home among them.</summary>
internal sealed record TransactionRoute(int Home, IReadOnlyList<int> Participants)
{
    public bool SinglePartition => Participants.Count == 1;

    /// <summary>Splits a prepare by the partitions that own its keys. A transaction naming no key lives in the partition
    /// of its id.</summary>
    public static (TransactionRoute Route, Dictionary<int, (Dictionary<string, JsonElement> Changes, Dictionary<string, long> Expect)> Shares)
        Of(string txId, IReadOnlyDictionary<string, JsonElement> changes, IReadOnlyDictionary<string, long> expect, int partitions)
    {
        var shares = new Dictionary<int, (Dictionary<string, JsonElement>, Dictionary<string, long>)>();
        (Dictionary<string, JsonElement> Changes, Dictionary<string, long> Expect) ShareOf(string key)
        {
            var p = PartitionHash.PartitionOf(key, partitions);
            if (!shares.TryGetValue(p, out var share))
                shares[p] = share = (new Dictionary<string, JsonElement>(StringComparer.Ordinal), new Dictionary<string, long>(StringComparer.Ordinal));
            return share;
        }
        foreach (var (key, value) in changes) ShareOf(key).Changes[key] = value;
        foreach (var (key, version) in expect) ShareOf(key).Expect[key] = version;
        if (shares.Count == 0)
            shares[PartitionHash.PartitionOf(txId, partitions)] = (new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        var participants = shares.Keys.Order().ToArray();
        return (new TransactionRoute(PartitionHash.HomeOf(txId, participants), participants), shares);
    }
}

/// <summary>A bounded, best-effort memory of the routes of recent prepares, so a commit goes straight to its partitions.
/// Never the truth: a miss (restart, eviction, another node) asks every partition instead.</summary>
internal sealed class TransactionLocator(int capacity)
{
    private readonly ConcurrentDictionary<string, TransactionRoute> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void Remember(string txId, TransactionRoute route)
    {
        if (capacity <= 0 || !_routes.TryAdd(txId, route))
            return;
        _order.Enqueue(txId);
        while (_order.Count > capacity && _order.TryDequeue(out var oldest))
            _routes.TryRemove(oldest, out _);
    }

    public TransactionRoute? Find(string txId) => _routes.GetValueOrDefault(txId);

    public void Forget(string txId) => _routes.TryRemove(txId, out _);
}
