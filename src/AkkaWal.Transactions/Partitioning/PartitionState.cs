using System.Text.Json;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Partitioning;

/// <summary>The durable state of one partition: exactly what replaying its snapshot and events rebuilds. Changed only
/// by journal-acknowledged events, so a snapshot of it always matches the partition's last acknowledged sequence number.
/// Locks are not stored: they are the keys of the pending shares (plus, live, those of shares being written).</summary>
internal sealed class PartitionState(int partition, int retentionCount, TimeSpan? retentionAge)
{
    private readonly Dictionary<string, KeyState> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SharePrepared> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OpenDecision> _open = new(StringComparer.Ordinal);
    private readonly DecidedIds _decided = new(retentionCount, retentionAge);

    public int Partition => partition;
    public int KeyCount => _values.Count;
    public int PendingCount => _pending.Count;
    public int DecidedCount => _decided.Count;
    public IEnumerable<SharePrepared> Pending => _pending.Values;
    public IEnumerable<OpenDecision> Open => _open.Values;

    public KeyState? ValueOf(string key) => _values.GetValueOrDefault(key);

    public SharePrepared? PendingOf(string txId) => _pending.GetValueOrDefault(txId);

    public OpenDecision? OpenOf(string txId) => _open.GetValueOrDefault(txId);

    public TransactionStatus StatusOf(string txId)
    {
        if (_pending.ContainsKey(txId)) return TransactionStatus.Prepared;
        if (_open.TryGetValue(txId, out var open)) return open.Commit ? TransactionStatus.Committed : TransactionStatus.Aborted;
        return _decided.Find(txId) is { } d ? d.Committed ? TransactionStatus.Committed : TransactionStatus.Aborted : TransactionStatus.Unknown;
    }

    /// <summary>The prepare request that wrote this partition's share of <paramref name="txId"/> (prepared or decided
    /// within the retention); null when unknown.</summary>
    public Guid? PreparedBy(string txId) => _pending.TryGetValue(txId, out var share) ? share.RequestId : _decided.Find(txId)?.PreparedBy;

    /// <summary>Applies one event.</summary>
    public void Apply(ITransactionEvent @event)
    {
        switch (@event)
        {
            case SharePrepared p:
                if (StatusOf(p.TxId) == TransactionStatus.Unknown)
                    _pending[p.TxId] = p;
                break;
            case TransactionDecided d:
                Decide(d.TxId, d.Commit, d.DecidedAt);
                var awaiting = d.Participants.Where(p => p != partition).ToArray();
                if (awaiting.Length > 0)
                    _open[d.TxId] = new OpenDecision(d.TxId, d.Commit, awaiting);
                break;
            case ShareResolved r:
                Decide(r.TxId, r.Commit, r.ResolvedAt);
                break;
            default:
                throw new ArgumentException($"unknown transaction event {@event.GetType().Name}", nameof(@event));
        }
    }

    /// <summary>Every participant acknowledged the decision: it need not be kept open any more (its id stays remembered
    /// for the retention). Not an event: after a crash the home simply asks the participants again.</summary>
    public void Close(string txId) => _open.Remove(txId);

    /// <summary>Forgets decided ids past their max-age at <paramref name="now"/>.</summary>
    public void EvictDecided(DateTimeOffset now) => _decided.Evict(now);

    private void Decide(string txId, bool commit, DateTimeOffset at)
    {
        var removed = _pending.Remove(txId, out var share);
        if (removed && commit)
            foreach (var (key, value) in share!.Changes)
                _values[key] = new KeyState(value, (_values.GetValueOrDefault(key)?.Version ?? 0) + 1);
        if (_decided.Find(txId) is null)
            _decided.Add(new DecidedTransaction(txId, commit, at, share?.RequestId));
        else
            _decided.Evict(at);
    }

    /// <summary>An immutable copy: the snapshot store serializes it later, on its own thread.</summary>
    public PartitionStateSnapshot ToSnapshot() => new(
        new Dictionary<string, KeyState>(_values, StringComparer.Ordinal),
        _pending.Values.ToArray(),
        _open.Values.ToArray(),
        _decided.InOrder.ToArray());

    public static PartitionState FromSnapshot(PartitionStateSnapshot snapshot, int partition, int retentionCount, TimeSpan? retentionAge)
    {
        var state = new PartitionState(partition, retentionCount, retentionAge);
        foreach (var (key, value) in snapshot.Values) state._values[key] = value;
        foreach (var share in snapshot.Pending) state._pending[share.TxId] = share;
        foreach (var open in snapshot.Open) state._open[open.TxId] = open;
        foreach (var decided in snapshot.Decided) state._decided.Add(decided);
        return state;
    }

    /// <summary>The keys a share locks: those it changes and those whose version it expects.</summary>
    public static IEnumerable<string> LockedKeys(IReadOnlyDictionary<string, JsonElement> changes, IReadOnlyDictionary<string, long> expect) =>
        changes.Keys.Concat(expect.Keys.Where(k => !changes.ContainsKey(k)));
}
