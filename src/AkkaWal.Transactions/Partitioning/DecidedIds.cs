using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Partitioning;

/// <summary>The decided transaction ids a partition remembers, oldest first, within the retention (at most
/// <c>max-count</c>, none older than <c>max-age</c>): repeats within it answer the outcome; older ids are forgotten.</summary>
internal sealed class DecidedIds(int maxCount, TimeSpan? maxAge)
{
    private readonly Dictionary<string, DecidedTransaction> _byId = new(StringComparer.Ordinal);
    private readonly Queue<DecidedTransaction> _order = new();

    public int Count => _byId.Count;

    public IEnumerable<DecidedTransaction> InOrder => _order.Where(d => _byId.TryGetValue(d.TxId, out var kept) && ReferenceEquals(kept, d));

    public DecidedTransaction? Find(string txId) => _byId.GetValueOrDefault(txId);

    public void Add(DecidedTransaction decided)
    {
        _byId[decided.TxId] = decided;
        _order.Enqueue(decided);
        Evict(decided.DecidedAt);
    }

    /// <summary>Forgets what is past the retention at <paramref name="now"/> (the time of the newest decision during
    /// replay, so a replay forgets exactly what the live partition forgot).</summary>
    public void Evict(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) &&
               (_byId.Count > maxCount || (maxAge is { } age && now - oldest.DecidedAt > age) || !IsCurrent(oldest)))
        {
            _order.Dequeue();
            if (IsCurrent(oldest))
                _byId.Remove(oldest.TxId);
        }
    }

    private bool IsCurrent(DecidedTransaction d) => _byId.TryGetValue(d.TxId, out var kept) && ReferenceEquals(kept, d);
}
