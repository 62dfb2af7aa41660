using System.Threading.Tasks.Sources;

namespace AkkaWal.Storage;

/// <summary>One queued AppendAsync or AppendBatchAsync, waiting for the writer thread. It is also the awaitable the
/// caller gets (an <see cref="IValueTaskSource{TResult}"/>), so an append allocates this one object rather than it plus
/// a TaskCompletionSource and its Task. Not pooled: a ValueTask awaited twice still reads the same result.</summary>
internal sealed class PendingAppend : IValueTaskSource<long>, IValueTaskSource<long[]>
{
    // Continuations always run on the thread pool, never inline on the writer or the completer: caller code must not
    // be able to stall (or deadlock) the log.
    private ManualResetValueTaskSourceCore<long> _source = new() { RunContinuationsAsynchronously = true };
    // Set instead for WriteAheadLog.AppendBatch: the outcome goes to this callback and the ValueTask is never used.
    private readonly IAppendCompletion? _callback;

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

    /// <summary>A batch whose outcome goes to a completion instead of an awaitable (no thread-pool hop).</summary>
    public PendingAppend(IReadOnlyList<ReadOnlyMemory<byte>> payloads, long frameBytes, IAppendCompletion completion)
    {
        Batch = payloads;
        FrameBytes = frameBytes;
        Positions = new long[payloads.Count];
        _callback = completion;
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

    public ValueTask<long> SingleTask => new(this, _source.Version);
    public ValueTask<long[]> BatchTask => new(this, _source.Version);

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
        if (_callback is not null) _callback.Completed(Positions!);
        else _source.SetResult(FirstPosition);
        return true;
    }

    public void Fail(Exception e) => Finish(e);

    public void Cancel() => Finish(new OperationCanceledException(Cancellation));

    private void Finish(Exception e)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
        if (_callback is not null) _callback.Failed(e);
        else _source.SetException(e);
        OnDone?.Invoke(this);
    }

    long IValueTaskSource<long>.GetResult(short token) => _source.GetResult(token);

    long[] IValueTaskSource<long[]>.GetResult(short token)
    {
        _source.GetResult(token);
        return Positions!;
    }

    ValueTaskSourceStatus IValueTaskSource<long>.GetStatus(short token) => _source.GetStatus(token);
    ValueTaskSourceStatus IValueTaskSource<long[]>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<long>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _source.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource<long[]>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _source.OnCompleted(continuation, state, token, flags);
}

/// <summary>Hears the outcome of <see cref="WriteAheadLog.AppendBatch"/> once, on the thread that settles the append.
/// Implementations must be short, must not block and must not throw (they run on the log's writer or completer).</summary>
public interface IAppendCompletion
{
    /// <summary>The batch is durable (as the durability mode defines it) at these log positions, one per record.</summary>
    void Completed(long[] positions);

    /// <summary>The batch was not appended, or may not be durable: invalid, the log failed or closed.</summary>
    void Failed(Exception error);
}
