using System.Threading.Tasks.Sources;

namespace AkkaWal.Storage;

/// <summary>One queued AppendAsync or AppendBatchAsync, waiting for the writer thread. It is also the awaitable the
/// caller gets (an <see cref="IValueTaskSource{TResult}"/>), so an append allocates this one object rather than it plus
/// a TaskCompletionSource and its Task. Not pooled: a ValueTask awaited twice still reads the same result.</summary>
internal sealed class PendingAppend : IValueTaskSource<long>, IValueTaskSource<long[]>
{
    // Continuations always run on the thread pool, never inline on the writer or the completer: caller code must not
    // be able to stall (or deadlock) the log.
    private ManualResetValueTaskSourceCore<long> _completion = new() { RunContinuationsAsynchronously = true };

    public PendingAppend(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        Single = payload;
        FrameBytes = RecordFrame.SizeOf(payload.Length);
        Cancellation = ct;
    }

    public PendingAppend(IReadOnlyList<ReadOnlyMemory<byte>> payloads, long frameBytes, CancellationToken ct)
    {
        Batch = payloads;
        FrameBytes = frameBytes;
        Cancellation = ct;
        Positions = new long[payloads.Count];
    }

    public ReadOnlyMemory<byte> Single { get; }
    public IReadOnlyList<ReadOnlyMemory<byte>>? Batch { get; }
    public long FrameBytes { get; }
    public CancellationToken Cancellation { get; }
    public int RecordCount => Batch?.Count ?? 1;
    public long FirstPosition;
    public long[]? Positions { get; }

    /// <summary>Set when the append is admitted to the writer's queue; called once when it fails or is cancelled, to
    /// return its bytes to the queue bound (acknowledged appends return theirs a whole group at a time).</summary>
    public Action<PendingAppend>? OnDone;
    private int _done;

    public ValueTask<long> SingleTask => new(this, _completion.Version);
    public ValueTask<long[]> BatchTask => new(this, _completion.Version);

    /// <summary>Frames this append into <paramref name="dest"/> at log position <paramref name="position"/>; returns bytes written.</summary>
    public int Encode(Span<byte> dest, long position)
    {
        FirstPosition = position;
        if (Batch is null) return RecordFrame.Write(dest, RecordType.Full, Single.Span);
        int written = 0;
        for (int i = 0; i < Batch.Count; i++)
        {
            var type = Batch.Count == 1 ? RecordType.Full
                : i == 0 ? RecordType.BatchFirst
                : i == Batch.Count - 1 ? RecordType.BatchLast
                : RecordType.BatchMiddle;
            Positions![i] = position + written;
            written += RecordFrame.Write(dest[written..], type, Batch[i].Span);
        }
        return written;
    }

    /// <summary>Acknowledges the append; false when it was already finished (then nothing happens). The caller returns
    /// the bytes of what it acknowledged to the queue bound.</summary>
    public bool Complete()
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return false;
        _completion.SetResult(FirstPosition);
        return true;
    }

    public void Fail(Exception e) => Finish(e);

    public void Cancel() => Finish(new OperationCanceledException(Cancellation));

    private void Finish(Exception e)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
        _completion.SetException(e);
        OnDone?.Invoke(this);
    }

    long IValueTaskSource<long>.GetResult(short token) => _completion.GetResult(token);

    long[] IValueTaskSource<long[]>.GetResult(short token)
    {
        _completion.GetResult(token);
        return Positions!;
    }

    ValueTaskSourceStatus IValueTaskSource<long>.GetStatus(short token) => _completion.GetStatus(token);
    ValueTaskSourceStatus IValueTaskSource<long[]>.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource<long>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _completion.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource<long[]>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _completion.OnCompleted(continuation, state, token, flags);
}
