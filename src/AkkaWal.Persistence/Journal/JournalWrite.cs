namespace AkkaWal.Persistence.Journal;

/// <summary>
/// The outcome of one group of AtomicWrites (one WriteMessages): a rejection per AtomicWrite that was not stored
/// (nothing of it is in the log), or a failure of the whole group (the log failed: events may or may not be stored).
/// Reports once, when the last of its batches has settled, on the thread that settled it.
/// </summary>
internal sealed class JournalWrite
{
    private readonly Action<JournalWrite> _done;
    private Exception?[]? _rejections;
    private Exception? _failure;
    private int _pending = 1; // the submitter's own hold: released after submitting, so _done never runs inside the store's locks

    public JournalWrite(int atomicWrites, Action<JournalWrite> done)
    {
        AtomicWrites = atomicWrites;
        _done = done;
    }

    public int AtomicWrites { get; }

    /// <summary>The store the group was appended to: it wakes live queries once the group settled.</summary>
    internal JournalStore? Store;

    /// <summary>Set once reported (by whoever orders the replies, under its lock).</summary>
    internal bool Settled;

    /// <summary>Set when the log failed under one of the batches: then every event of the group gets a failure.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Null for a stored AtomicWrite, else why it was rejected.</summary>
    public Exception? RejectionOf(int index) => _rejections?[index];

    public bool AnyRejected => _rejections is not null;

    public void Reject(int index, Exception reason)
    {
        var rejections = Volatile.Read(ref _rejections);
        if (rejections is null)
        {
            Interlocked.CompareExchange(ref _rejections, new Exception?[AtomicWrites], null);
            rejections = _rejections!;
        }
        rejections[index] = reason;
    }

    public void Fail(Exception cause) => Interlocked.CompareExchange(ref _failure, cause, null);

    internal void Hold() => Interlocked.Increment(ref _pending);

    /// <summary>One batch (or the submitter's hold) is done; the last one reports.</summary>
    internal void BatchDone()
    {
        if (Interlocked.Decrement(ref _pending) != 0) return;
        Store?.GroupSettled();
        _done(this);
    }
}
