using System.Diagnostics;

namespace AkkaWal.Storage;

// The writer thread: group commit, rolls, preallocation, failure.
public sealed partial class WriteAheadLog
{
    private readonly object _queueLock = new();
    private List<PendingAppend> _incoming = [];
    private Queue<PendingAppend> _waiting = new();   // over the queue bound, not yet admitted (arrival order)
    private long _queuedBytes;                       // frame bytes of admitted, unfinished appends
    private long _peakQueuedBytes;
    private readonly Action<PendingAppend> _releaseQueued;
    private bool _writerWaiting;
    private bool _stopping;
    private int _incomingCount;  // _incoming.Count, readable without the lock
    private int _lastAcked;      // appends acknowledged by the last fsync (writer thread only)
    private readonly Thread _writer;
    private long _writeOffset;   // file offset of the next frame in _active (writer thread only)
    private long _writtenEnd;    // log position after the last written frame
    private Task<Segment>? _preallocation;

    /// <summary>Queues an append; returns the failure instead when the log no longer accepts writes. When the queue
    /// bound (<see cref="WalOptions.MaxQueuedBytes"/>) is reached the append waits, unadmitted, behind earlier waiters:
    /// its task simply stays incomplete until bytes are released, so no thread blocks and nothing is dropped.</summary>
    private Exception? Enqueue(PendingAppend p)
    {
        lock (_queueLock)
        {
            if (_failure is { } f) return new WalFailedException(f.Message, f.InnerException);
            if (_stopping) return new ObjectDisposedException(nameof(WriteAheadLog), "The write-ahead log is closed.");
            if (_waiting.Count > 0 || !Fits(p)) _waiting.Enqueue(p);
            else Admit(p);
        }
        return null;
    }

    /// <summary>An append fits when it stays within the bound, or when nothing is queued (one larger than the bound goes alone).</summary>
    private bool Fits(PendingAppend p) => _queuedBytes == 0 || _queuedBytes + p.FrameBytes <= _options.MaxQueuedBytes;

    private void Admit(PendingAppend p)
    {
        _queuedBytes += p.FrameBytes;
        if (_queuedBytes > _peakQueuedBytes) _peakQueuedBytes = _queuedBytes;
        p.OnDone = _releaseQueued;
        _incoming.Add(p);
        Volatile.Write(ref _incomingCount, _incoming.Count);
        if (_writerWaiting) Monitor.Pulse(_queueLock);
    }

    /// <summary>Admitted appends finished: their bytes leave the bound and waiting appends are admitted in order.</summary>
    private void ReleaseQueued(long bytes)
    {
        lock (_queueLock)
        {
            _queuedBytes -= bytes;
            if (_failure is not null) return; // Fail hands every waiter its error
            while (_waiting.Count > 0 && Fits(_waiting.Peek())) Admit(_waiting.Dequeue());
        }
    }

    /// <summary>Frame bytes admitted and not yet acknowledged (never above the bound except for one oversized append).</summary>
    internal long QueuedBytes { get { lock (_queueLock) return _queuedBytes; } }
    internal long PeakQueuedBytes { get { lock (_queueLock) return _peakQueuedBytes; } }
    internal int WaitingAppends { get { lock (_queueLock) return _waiting.Count; } }

    private void StopWriter()
    {
        lock (_queueLock)
        {
            _stopping = true;
            Monitor.Pulse(_queueLock);
        }
        _writer.Join();
        AwaitAcknowledgements();
    }

    private void WriterLoop()
    {
        var backlog = new List<PendingAppend>();
        int next = 0;
        var group = new List<PendingAppend>();
        var awaitingSync = new List<PendingAppend>();   // Interval: written, acknowledged at the next fdatasync
        long unsynced = 0;
        long syncDue = 0;
        byte[] buffer = new byte[Math.Max(_options.MaxGroupBytes, 64 * 1024)];
        bool interval = _options.Durability == DurabilityMode.Interval;
        long intervalTicks = (long)(_options.FsyncInterval.TotalSeconds * Stopwatch.Frequency);
        try
        {
            while (true)
            {
                if (_failure is { } failed) throw failed.InnerException ?? failed;
                if (next >= backlog.Count)
                {
                    backlog.Clear();
                    next = 0;
                    if (_lastAcked >= 4) AwaitFollowers(_lastAcked / 2);
                    lock (_queueLock)
                    {
                        while (_incoming.Count == 0 && _failure is null)
                        {
                            if (awaitingSync.Count > 0)
                            {
                                long wait = syncDue - Stopwatch.GetTimestamp();
                                if (wait <= 0 || _stopping) break;
                                _writerWaiting = true;
                                Monitor.Wait(_queueLock, TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                                _writerWaiting = false;
                                continue;
                            }
                            if (_stopping) break;
                            _writerWaiting = true;
                            Monitor.Wait(_queueLock);
                            _writerWaiting = false;
                        }
                        (backlog, _incoming) = (_incoming, backlog);
                        _incomingCount = 0;
                    }
                    if (_failure is { } outside) throw outside.InnerException ?? outside; // failed from outside: stop writing
                    if (backlog.Count == 0)
                    {
                        if (awaitingSync.Count > 0) { Sync(awaitingSync); unsynced = 0; continue; }
                        if (_stopping) break;
                        continue;
                    }
                }

                // Build one group: as many queued appends as fit MaxGroupBytes (at least one) and the active segment.
                int length = 0, records = 0;
                while (next < backlog.Count)
                {
                    var p = backlog[next];
                    if (p.Cancellation.IsCancellationRequested) { p.Cancel(); next++; continue; }
                    // The segment's torn-write window (from its header) also caps a group: a segment created before a
                    // reopen with larger limits keeps its smaller window.
                    long window = _active.Header.TornWriteWindow;
                    if (group.Count > 0 && length + p.FrameBytes > Math.Min(_options.MaxGroupBytes, window)) break;
                    if (_writeOffset + length + p.FrameBytes > _active.Capacity || p.FrameBytes > window)
                    {
                        if (group.Count > 0) break;
                        if (unsynced > 0) { Sync(awaitingSync); unsynced = 0; }
                        Roll();
                        continue;
                    }
                    if (length + p.FrameBytes > buffer.Length) Array.Resize(ref buffer, (int)Math.Max(length + p.FrameBytes, buffer.Length * 2L));
                    length += p.Encode(buffer.AsSpan(length), _active.Base + _writeOffset + length);
                    group.Add(p);
                    records += p.RecordCount;
                    next++;
                }
                if (group.Count == 0) continue;

                // One unsynced window at most: recovery relies on it to tell a torn tail from corruption.
                if (unsynced > 0 && unsynced + length > _active.Header.TornWriteWindow) { Sync(awaitingSync); unsynced = 0; }
                _active.File.Write(_writeOffset, buffer.AsSpan(0, length));
                _writeOffset += length;
                _active.Records += records;
                Volatile.Write(ref _active.DataEnd, _writeOffset);
                _writtenEnd = _active.Base + _writeOffset;
                WalMetrics.Bytes.Add(length);
                WalMetrics.GroupSize.Record(records);

                switch (_options.Durability)
                {
                    case DurabilityMode.Always:
                        awaitingSync.AddRange(group);
                        Sync(awaitingSync);
                        break;
                    case DurabilityMode.Interval:
                        if (awaitingSync.Count == 0) syncDue = Stopwatch.GetTimestamp() + intervalTicks;
                        awaitingSync.AddRange(group);
                        unsynced += length;
                        if (Stopwatch.GetTimestamp() >= syncDue) { Sync(awaitingSync); unsynced = 0; }
                        break;
                    default:
                        unsynced += length;
                        Volatile.Write(ref _durableEnd, _writtenEnd);
                        _lastAcked = group.Count;
                        Acknowledge(group);
                        break;
                }
                group.Clear();
            }
            if (unsynced > 0 || awaitingSync.Count > 0) Sync(awaitingSync);
        }
        catch (Exception e)
        {
            Fail(e, group, awaitingSync, backlog.Skip(next));
        }
    }

    /// <summary>fdatasync of the active segment, then publish the durable end and acknowledge.</summary>
    private void Sync(List<PendingAppend> acks)
    {
        long t0 = Stopwatch.GetTimestamp();
        _active.File.FlushData();
        WalMetrics.Fsyncs.Add(1);
        WalMetrics.FsyncLatency.Record(Stopwatch.GetElapsedTime(t0).TotalSeconds); // OpenTelemetry: durations in seconds
        Volatile.Write(ref _durableEnd, _writtenEnd);
        _lastAcked = acks.Count;
        Acknowledge(acks);
    }

    /// <summary>After an fsync that acknowledged many appends, their writers usually append again within microseconds.
    /// Taking the first of those alone would spend a whole fsync on it and make groups alternate between tiny and
    /// large; so wait (at most 200 µs, yielding the CPU) until half of them are queued.</summary>
    private void AwaitFollowers(int target)
    {
        long deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 5000;
        var spin = new SpinWait();
        while (Volatile.Read(ref _incomingCount) < target && Stopwatch.GetTimestamp() < deadline && !Volatile.Read(ref _stopping))
            spin.SpinOnce(sleep1Threshold: -1);
    }

    /// <summary>Moves appends to the next (preallocated) segment. The old one is already synced, so data in
    /// segment n+1 always implies segment n is complete.</summary>
    private void Roll()
    {
        if (_writeOffset == SegmentHeader.Size)
        {
            // Nothing fits even in this empty segment (it was created with a smaller SegmentSize before a reopen with
            // larger limits). A sealed segment must never be empty (recovery reads that as lost writes), so mark it.
            Span<byte> pad = stackalloc byte[RecordFrame.HeaderSize];
            RecordFrame.WritePadding(pad, RecordFrame.HeaderSize);
            _active.File.Write(_writeOffset, pad);
            _active.File.FlushData();
            _writeOffset += pad.Length;
            Volatile.Write(ref _active.DataEnd, _writeOffset);
        }
        Segment next;
        if (_spares.Count > 0) next = _spares.Dequeue();
        else
        {
            var pending = _preallocation ?? throw new InvalidOperationException("no preallocation in flight");
            _preallocation = null;
            try
            {
                next = pending.GetAwaiter().GetResult();
            }
            catch (Exception e) when (IsRetryablePreallocationError(e))
            {
                // The background attempts gave up; appends now need the segment, so try once more here (bounded). Only
                // if that fails too does the log fail: there is nowhere left to write.
                next = CreateSegmentRetrying(_active.End, _active.Header);
            }
        }
        _active.Sealed = true;
        // Synced above: the segment is complete and durable, so its seal lets the next open skip scanning it.
        _active.Seal = new SegmentSeal(_active.Base, _active.Header.HeaderCrc, _writeOffset, _active.Records);
        WriteSeals();
        _active = next;
        _writeOffset = SegmentHeader.Size;
        _writtenEnd = next.Base + SegmentHeader.Size;
        if (_spares.Count == 0) StartPreallocation();
    }

    private void StartPreallocation()
    {
        var last = _spares.Count > 0 ? _spares.Last() : _active;
        _preallocation = Task.Factory.StartNew(() => CreateSegmentRetrying(last.End, last.Header),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Attempts at creating the next segment before giving up, and the wait after the first failure (doubled
    /// after each further one: 20, 40, 80, 160 ms).</summary>
    internal const int PreallocationAttempts = 5;
    private static readonly TimeSpan PreallocationBackoff = TimeSpan.FromMilliseconds(20);

    /// <summary>Creating the next segment is not on the data path (no acknowledged byte depends on it yet), so a failure
    /// (ENOSPC that clears, EIO on the new file) is retried with backoff instead of failing the log. Each attempt starts
    /// from a fresh *.tmp file, so no fsync is ever retried on a file whose fsync failed.</summary>
    private Segment CreateSegmentRetrying(long baseOffset, SegmentHeader? previous)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return CreateSegment(baseOffset, previous);
            }
            catch (Exception e) when (attempt < PreallocationAttempts && IsRetryablePreallocationError(e) && Volatile.Read(ref _disposed) == 0)
            {
                WalMetrics.PreallocationRetries.Add(1);
                Thread.Sleep(PreallocationBackoff * (1 << (attempt - 1)));
            }
        }
    }

    private static bool IsRetryablePreallocationError(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>Creates, preallocates, headers and fsyncs a segment as *.tmp, renames it into place and fsyncs the
    /// directory, so a segment file under its final name always has a complete header.</summary>
    private Segment CreateSegment(long baseOffset, SegmentHeader? previous)
    {
        var header = SegmentHeader.Create(baseOffset, _options.SegmentSize, previous is null ? 0 : previous.SegmentNumber + 1, previous, _options.TornWriteWindow);
        string path = Path.Combine(_options.Directory, SegmentHeader.FileNameFor(baseOffset));
        string tmp = path + ".tmp";
        if (_fs.FileExists(tmp)) _fs.Delete(tmp);
        var file = _fs.OpenFile(tmp, WalFileOpen.CreateNew);
        try
        {
            file.Preallocate(header.Capacity);
            Span<byte> buf = stackalloc byte[SegmentHeader.Size];
            header.WriteTo(buf);
            file.Write(0, buf);
            file.FlushData();
            _fs.Rename(tmp, path);
            _fs.SyncDirectory(_options.Directory);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        var seg = new Segment(path, header, file);
        lock (_segLock) Volatile.Write(ref _segments, [.. _segments, seg]);
        return seg;
    }

    /// <summary>Stops writing for good: every pending and later append fails with the cause. No retry: after a
    /// failed fsync the kernel may have dropped the dirty pages, so only a reopen (which re-reads the disk) is safe.</summary>
    /// <summary>Fails the log from outside the writer thread (a compaction's directory fsync failed). The writer sees
    /// <see cref="_failure"/> at its next step and fails what it holds without writing it.</summary>
    private void FailFromOutside(Exception cause)
    {
        var failure = new WalFailedException(FailureMessage(cause), cause);
        List<PendingAppend> rest;
        lock (_queueLock)
        {
            if (_failure is not null) return;
            _failure = failure;
            rest = [.. _incoming, .. _waiting];
            _incoming = [];
            _waiting = new();
            Monitor.Pulse(_queueLock);
        }
        foreach (var p in rest) p.Fail(new WalFailedException(failure.Message, cause));
    }

    private string FailureMessage(Exception cause) => IsDiskFull(cause)
        ? $"Disk full (ENOSPC) while writing the write-ahead log in '{_options.Directory}'. Free space and reopen the log; acknowledged records are safe."
        : $"Write-ahead log in '{_options.Directory}' failed and accepts no more writes (reopen to recover): {cause.Message}";

    private void Fail(Exception cause, List<PendingAppend> group, List<PendingAppend> awaiting, IEnumerable<PendingAppend> backlog)
    {
        if (_failure is { InnerException: { } first }) cause = first; // failed from outside: report that cause
        string what = FailureMessage(cause);
        var failure = new WalFailedException(what, cause);
        List<PendingAppend> rest;
        lock (_queueLock)
        {
            _failure ??= failure;
            rest = [.. _incoming, .. _waiting];
            _incoming = [];
            _waiting = new();
        }
        foreach (var p in group.Concat(awaiting).Concat(backlog).Concat(rest).Distinct())
            p.Fail(new WalFailedException(what, cause));
    }

    internal static bool IsDiskFull(Exception e)
        => e is IOException io && (io.HResult == 28 || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase))
           || e.InnerException is { } inner && IsDiskFull(inner);
}
