using System.Collections.Concurrent;

namespace AkkaWal.Storage;

// Acknowledging a group off the writer thread: the writer hands each synced group to one completer work item and goes
// straight on to the next write + fdatasync, instead of spending ~1 µs per append waking callers first.
public sealed partial class WriteAheadLog
{
    private readonly ConcurrentQueue<List<PendingAppend>> _acknowledged = new();   // groups in log order
    private readonly ConcurrentQueue<List<PendingAppend>> _spareGroups = new();
    private readonly Action<object?> _completeAcknowledged;
    private int _completerScheduled;   // 1 while a completer work item is queued or running
    /// <summary>Groups up to this many appends are completed on the writer thread (each completion only queues the
    /// caller's continuation); larger ones go to the completer.</summary>
    private const int InlineAcknowledgeMax = 4;

    /// <summary>Hands a durable (or, in mode None, written) group to the completer and leaves <paramref name="acks"/>
    /// empty for the writer's next group. Groups are completed in log order, so acknowledgements keep log order.</summary>
    private void Acknowledge(List<PendingAppend> acks)
    {
        if (acks.Count == 0) return;
        // Queue first, then flag: only this thread enqueues, and the completer holds the flag from before it dequeues a
        // group until after it completed it, so "empty, then idle" means every earlier group is complete.
        if (acks.Count <= InlineAcknowledgeMax && _acknowledged.IsEmpty && Volatile.Read(ref _completerScheduled) == 0)
        {
            // Completing here keeps log order; for a group this small a completer work item would be one more thread
            // hop for nothing.
            Complete(acks);
            acks.Clear();
            return;
        }
        if (!_spareGroups.TryDequeue(out var group)) group = new List<PendingAppend>(acks.Count);
        group.AddRange(acks);
        acks.Clear();
        _acknowledged.Enqueue(group);
        if (Interlocked.Exchange(ref _completerScheduled, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(_completeAcknowledged, null, preferLocal: false);
    }

    /// <summary>The completer: completes every handed-over group in order. Each caller's continuation is queued to this
    /// pool thread's local queue (never run inline here), returns the group's bytes to the queue bound under one lock.</summary>
    private void CompleteAcknowledged(object? _)
    {
        while (true)
        {
            while (_acknowledged.TryDequeue(out var group))
            {
                Complete(group);
                group.Clear();
                if (_spareGroups.Count < 8) _spareGroups.Enqueue(group);
            }
            Volatile.Write(ref _completerScheduled, 0);
            // A group handed over between the last dequeue and the reset above would otherwise wait for the next one.
            if (_acknowledged.IsEmpty || Interlocked.Exchange(ref _completerScheduled, 1) != 0) return;
        }
    }

    /// <summary>Completes a group's appends; their bytes return to the queue bound under one lock.</summary>
    private void Complete(List<PendingAppend> group)
    {
        long bytes = 0, records = 0;
        foreach (var p in group)
        {
            if (!p.Complete()) continue;
            if (p.OnDone is not null) bytes += p.FrameBytes;
            records += p.RecordCount;
        }
        WalMetrics.Appends.Add(records);
        if (bytes > 0) ReleaseQueued(bytes);
    }

    /// <summary>After the writer stopped: acknowledges what is left (here, if no completer is scheduled, so a starved
    /// thread pool cannot hold up a close) and waits for a running completer, so a closed log leaves no append incomplete.</summary>
    private void AwaitAcknowledgements()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _completerScheduled) != 0 || !_acknowledged.IsEmpty)
        {
            if (Interlocked.CompareExchange(ref _completerScheduled, 1, 0) == 0) CompleteAcknowledged(null);
            else spin.SpinOnce();
        }
    }
}
