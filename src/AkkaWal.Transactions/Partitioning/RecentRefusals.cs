using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Partitioning;

/// <summary>The last refused prepares of a partition by request id, in memory and bounded (the oldest is forgotten
/// first): a redelivered prepare must not be prepared after its first delivery was refused, since the client may
/// already hold that refusal. A redelivery comes within the coordinator's <c>internal-ask-timeout</c>, so a window of
/// recent refusals is enough; it is lost with the incarnation, which is what a partition that moves also loses.</summary>
internal sealed class RecentRefusals(int capacity)
{
    private readonly Dictionary<Guid, TransactionRejected> _byRequest = [];
    private readonly Queue<Guid> _order = new();

    public TransactionRejected? Find(Guid requestId) => requestId == Guid.Empty ? null : _byRequest.GetValueOrDefault(requestId);

    public void Remember(Guid requestId, TransactionRejected refusal)
    {
        if (requestId == Guid.Empty || !_byRequest.TryAdd(requestId, refusal))
            return;
        _order.Enqueue(requestId);
        while (_order.Count > capacity)
            _byRequest.Remove(_order.Dequeue());
    }
}
