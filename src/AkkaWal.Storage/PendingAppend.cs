namespace AkkaWal.Storage;

/// <summary>One queued AppendAsync or AppendBatchAsync, waiting for the writer thread.</summary>
internal sealed class PendingAppend
{
    private readonly TaskCompletionSource<long>? _single;
    private readonly TaskCompletionSource<long[]>? _batch;
    private readonly IAppendCompletion? _completion;

    public PendingAppend(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        Single = payload;
        FrameBytes = RecordFrame.SizeOf(payload.Length);
        Cancellation = ct;
        _single = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public PendingAppend(IReadOnlyList<ReadOnlyMemory<byte>> payloads, long frameBytes, CancellationToken ct)
    {
        Batch = payloads;
        FrameBytes = frameBytes;
        Cancellation = ct;
        Positions = new long[payloads.Count];
        _batch = new TaskCompletionSource<long[]>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A batch whose outcome goes to a completion instead of a task (no thread-pool hop).</summary>
    public PendingAppend(IReadOnlyList<ReadOnlyMemory<byte>> payloads, long frameBytes, IAppendCompletion completion)
    {
        Batch = payloads;
        FrameBytes = frameBytes;
        Positions = new long[payloads.Count];
        _completion = completion;
    }

    public ReadOnlyMemory<byte> Single { get; }
    public IReadOnlyList<ReadOnlyMemory<byte>>? Batch { get; }
    public long FrameBytes { get; }
    public CancellationToken Cancellation { get; }
    public int RecordCount => Batch?.Count ?? 1;
    public long FirstPosition;
    public long[]? Positions { get; }

    /// <summary>Set when the append is admitted to the writer's queue; called once when it completes, fails or is
    /// cancelled, to return its bytes to the queue bound.</summary>
    public Action<PendingAppend>? OnDone;
    private int _done;

    public Task<long> SingleTask => _single!.Task;
    public Task<long[]> BatchTask => _batch!.Task;

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

    public void Complete()
    {
        if (_completion is not null) _completion.Completed(Positions!);
        else if (_single is not null) _single.TrySetResult(FirstPosition);
        else _batch!.TrySetResult(Positions!);
        Done();
    }

    public void Fail(Exception e)
    {
        if (_completion is not null) _completion.Failed(e);
        else if (_single is not null) _single.TrySetException(e);
        else _batch!.TrySetException(e);
        Done();
    }

    public void Cancel()
    {
        if (_completion is not null) _completion.Failed(new OperationCanceledException(Cancellation));
        else if (_single is not null) _single.TrySetCanceled(Cancellation);
        else _batch!.TrySetCanceled(Cancellation);
        Done();
    }

    private void Done()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0) OnDone?.Invoke(this);
    }
}

/// <summary>Hears the outcome of <see cref="WriteAheadLog.AppendBatch"/> once, on the thread that settles the append.
/// Implementations must be short, must not block and must not throw (they run on the log's writer).</summary>
public interface IAppendCompletion
{
    /// <summary>The batch is durable (as the durability mode defines it) at these log positions, one per record.</summary>
    void Completed(long[] positions);

    /// <summary>The batch was not appended, or may not be durable: invalid, the log failed or closed.</summary>
    void Failed(Exception error);
}
