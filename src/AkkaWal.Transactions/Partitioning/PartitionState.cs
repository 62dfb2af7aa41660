using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Partitioning;

/// <summary>The durable state of one partition: exactly what replaying its snapshot and events rebuilds. Changed only
/// by journal-acknowledged events, so a snapshot of it always matches the writer's last acknowledged sequence number.</summary>
public sealed class PartitionState
{
    private readonly Dictionary<string, InDoubtTransaction> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _committed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _aborted = new(StringComparer.Ordinal);

    public CommittedValues Values { get; } = new();
    public long MaxCommitOrder { get; private set; }
    public int PendingCount => _pending.Count;
    public int CommittedCount => _committed.Count;
    public int AbortedCount => _aborted.Count;
    public IEnumerable<InDoubtTransaction> Pending => _pending.Values;

    public TransactionStatus StatusOf(string txId) =>
        _pending.ContainsKey(txId) ? TransactionStatus.Prepared
        : _committed.Contains(txId) ? TransactionStatus.Committed
        : _aborted.Contains(txId) ? TransactionStatus.Aborted
        : TransactionStatus.Unknown;

    public InDoubtTransaction? PendingOf(string txId) => _pending.GetValueOrDefault(txId);

    /// <summary>Applies one event. Returns the pending transaction a COMMIT made visible, or null when the event
    /// changed no committed value (prepare, abort, or a COMMIT without a known PREPARE, which is ignored).</summary>
    public InDoubtTransaction? Apply(ITransactionEvent @event)
    {
        switch (@event)
        {
            case TransactionPrepared p:
                if (StatusOf(p.TxId) == TransactionStatus.Unknown)
                    _pending[p.TxId] = new InDoubtTransaction(p.TxId, p.Changes, p.PreparedAt);
                return null;
            case TransactionCommitted c:
                MaxCommitOrder = Math.Max(MaxCommitOrder, c.CommitOrder);
                if (!_pending.Remove(c.TxId, out var tx))
                    return null;
                _committed.Add(c.TxId);
                Values.Apply(tx.Changes, c.CommitOrder);
                return tx;
            case TransactionAborted a:
                if (_pending.Remove(a.TxId))
                    _aborted.Add(a.TxId);
                return null;
            default:
                throw new ArgumentException($"unknown transaction event {@event.GetType().Name}", nameof(@event));
        }
    }

    /// <summary>An immutable copy: the snapshot store serializes it later, on its own thread.</summary>
    public PartitionSnapshot ToSnapshot() => new(
        new Dictionary<string, VersionedValue>(Values.Entries, StringComparer.Ordinal),
        _pending.Values.ToArray(),
        _committed.ToArray(),
        _aborted.ToArray(),
        MaxCommitOrder);

    public static PartitionState FromSnapshot(PartitionSnapshot snapshot)
    {
        var state = new PartitionState { MaxCommitOrder = snapshot.MaxCommitOrder };
        state.Values.Merge(snapshot.Values);
        foreach (var tx in snapshot.Pending) state._pending[tx.TxId] = tx;
        state._committed.UnionWith(snapshot.CommittedIds);
        state._aborted.UnionWith(snapshot.AbortedIds);
        return state;
    }
}
