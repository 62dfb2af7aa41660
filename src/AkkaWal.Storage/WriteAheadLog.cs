namespace AkkaWal.Storage;

/// <summary>A segmented, checksummed, group-committed append-only log in one directory (format in docs/FORMAT.md).</summary>
public sealed partial class WriteAheadLog : IAsyncDisposable, IDisposable
{
    private readonly WalOptions _options;
    private readonly IWalFileSystem _fs;
    private readonly DirectoryLock _lock;
    private readonly object _segLock = new();
    private Segment[] _segments = [];        // copy-on-write: readers take the array without locking
    private readonly Queue<Segment> _spares = new();
    private Segment _active;
    private long _durableEnd;
    private volatile WalFailedException? _failure;
    private int _disposed;

    private WriteAheadLog(WalOptions options, DirectoryLock dirLock, RecoveredLog recovered)
    {
        _options = options;
        _fs = options.FileSystem;
        _lock = dirLock;
        _releaseQueued = done => ReleaseQueued(done.FrameBytes);
        _completeAcknowledged = CompleteAcknowledged;
        Recovery = recovered.Report;
        var segs = recovered.Segments;
        if (recovered.ActiveIndex < 0)
        {
            _active = CreateSegment(0, null);
            segs = [_active];
        }
        else
        {
            _active = segs[recovered.ActiveIndex];
            for (int i = recovered.ActiveIndex + 1; i < segs.Count; i++) _spares.Enqueue(segs[i]);
        }
        _segments = [.. segs];
        _writeOffset = _active.DataEnd;
        _writtenEnd = _durableEnd = _active.Base + _active.DataEnd;
        if (_spares.Count == 0) StartPreallocation();
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "AkkaWal writer " + Path.GetFileName(options.Directory) };
        _writer.Start();
        WalMetrics.Register(this);
    }

    /// <summary>Locks the directory, removes temp files, verifies every segment and applies the recovery mode.</summary>
    /// <exception cref="WalLockedException">Another log (this or another process) has the directory open.</exception>
    /// <exception cref="WalCorruptionException">Damage the recovery mode does not repair (names file and byte offset).</exception>
    public static WriteAheadLog Open(WalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        DurableDirectory.Create(options.FileSystem, options.Directory);
        var dirLock = DirectoryLock.Acquire(options.Directory);
        try
        {
            var recovered = new WalRecovery(options).Run();
            try
            {
                return new WriteAheadLog(options, dirLock, recovered);
            }
            catch
            {
                foreach (var s in recovered.Segments) s.File.Dispose();
                throw;
            }
        }
        catch
        {
            dirLock.Dispose();
            throw;
        }
    }

    /// <summary>The log directory.</summary>
    public string Directory => _options.Directory;

    /// <summary>The random id shared by every segment of this log (from the segment headers).</summary>
    public ulong LogId => Volatile.Read(ref _segments)[0].Header.LogId;

    /// <summary>The options the log was opened with.</summary>
    public WalOptions Options => _options;

    /// <summary>What open found and did.</summary>
    public RecoveryReport Recovery { get; }

    /// <summary>Position just after the last durable record (in <see cref="DurabilityMode.None"/>: the last written one).
    /// An empty log's end is 64, the position of its first record.</summary>
    public long DurableEnd => Volatile.Read(ref _durableEnd);

    /// <summary>Set after a write or fsync error; every later append throws <see cref="WalFailedException"/>.</summary>
    public Exception? Failure => _failure;

    /// <summary>The segments, oldest first, as of now.</summary>
    public IReadOnlyList<SegmentInfo> Segments
    {
        get
        {
            var active = _active;
            return Volatile.Read(ref _segments).Select(s => s.ToInfo(ReferenceEquals(s, active))).ToList();
        }
    }

    internal int SegmentCount => Volatile.Read(ref _segments).Length;

    /// <summary>Appends <paramref name="payload"/> as one record; completes with its log position once it is durable
    /// (per <see cref="WalOptions.Durability"/>). <paramref name="ct"/> cancels the append only while it is still queued:
    /// once the writer has taken it into a group it completes as the group does.</summary>
    public ValueTask<long> AppendAsync(ReadOnlyMemory<byte> payload, CancellationToken ct = default)
    {
        if (payload.Length > _options.MaxRecordSize)
            return ValueTask.FromException<long>(new RecordTooLargeException(payload.Length, _options.MaxRecordSize, "Record"));
        if (ct.IsCancellationRequested) return ValueTask.FromCanceled<long>(ct);
        var p = new PendingAppend(payload, ct);
        return Enqueue(p) is { } error ? ValueTask.FromException<long>(error) : p.SingleTask;
    }

    /// <summary>Appends several records atomically: after a crash either all are present or none.</summary>
    public ValueTask<long[]> AppendBatchAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        if (payloads.Count == 0) return ValueTask.FromResult(Array.Empty<long>());
        if (ValidateBatch(payloads, out var bytes) is { } invalid) return ValueTask.FromException<long[]>(invalid);
        if (ct.IsCancellationRequested) return ValueTask.FromCanceled<long[]>(ct);
        var p = new PendingAppend(payloads, bytes, ct);
        return Enqueue(p) is { } error ? ValueTask.FromException<long[]>(error) : p.BatchTask;
    }

    /// <summary>
    /// <see cref="AppendBatchAsync"/> without a task: <paramref name="completion"/> hears exactly once that the batch is
    /// durable (its positions) or failed, on the thread that settles it (the writer or its completer), so the reply needs no
    /// thread-pool hop. An invalid batch (empty, a record or the batch too large) or a failed log is reported the same
    /// way before this returns. The completion must be short, must not block and must not throw.
    /// </summary>
    public void AppendBatch(IReadOnlyList<ReadOnlyMemory<byte>> payloads, IAppendCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentNullException.ThrowIfNull(completion);
        if (payloads.Count == 0) { completion.Failed(new ArgumentException("A batch needs at least one record.", nameof(payloads))); return; }
        if (ValidateBatch(payloads, out var bytes) is { } invalid) { completion.Failed(invalid); return; }
        var p = new PendingAppend(payloads, bytes, completion);
        if (Enqueue(p) is { } error) completion.Failed(error);
    }

    private RecordTooLargeException? ValidateBatch(IReadOnlyList<ReadOnlyMemory<byte>> payloads, out long bytes)
    {
        bytes = 0;
        for (int i = 0; i < payloads.Count; i++)
        {
            if (payloads[i].Length > _options.MaxRecordSize)
                return new RecordTooLargeException(payloads[i].Length, _options.MaxRecordSize, $"Record {i} of the batch");
            bytes += RecordFrame.SizeOf(payloads[i].Length);
        }
        return bytes > _options.MaxBatchBytes ? new RecordTooLargeException(bytes, _options.MaxBatchBytes, $"Batch of {payloads.Count} records") : null;
    }

    /// <summary>Rewrites the seal file with the seals of the sealed segments; only the writer calls it, after a roll.
    /// A failure leaves the previous file (the replace is atomic), which only lacks the new seal, so the next open scans
    /// that segment: not an error of the log.</summary>
    private void WriteSeals()
    {
        var seals = Volatile.Read(ref _segments).Where(s => s.Sealed && s.Seal is not null).Select(s => s.Seal!.Value).ToList();
        try { SegmentSealFile.Write(_fs, _options.Directory, LogId, seals); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a cache: the next open scans */ }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Stops the writer, waits for the acknowledgements already due, closes the files and releases the lock.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        StopWriter();
        _compactionGate.Wait();
        try
        {
            try { _preallocation?.Wait(); } catch { /* reported through the writer if it mattered */ }
            if (_preallocation is { IsCompletedSuccessfully: true } t && !_spares.Contains(t.Result) && !_segments.Contains(t.Result))
                t.Result.File.Dispose();
            foreach (var s in Volatile.Read(ref _segments)) s.File.Dispose();
            WalMetrics.Unregister(this);
            _lock.Dispose();
        }
        finally
        {
            _compactionGate.Release();
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed) != 0) return ValueTask.CompletedTask;
        return new ValueTask(Task.Factory.StartNew(Dispose, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }
}
