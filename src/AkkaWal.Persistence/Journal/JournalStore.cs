using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using AkkaWal.Persistence.Configuration;
using AkkaWal.Storage;

namespace AkkaWal.Persistence.Journal;

/// <summary>
/// The journal's state in one process: the open log, its in-memory index and the serializer. Shared by the journal
/// actor (writes, replays, deletes, compaction) and the read journal (queries), which it wakes after each durable write.
/// </summary>
internal sealed class JournalStore : IDisposable
{
    private readonly WriteAheadLog _wal;
    private readonly JournalIndex _index;
    private readonly PayloadSerializer _serializer;
    private readonly object _lock = new();       // guards the index and the visibility state below
    private readonly object _appendLock = new(); // orders ordering assignment with submission to the engine
    private long _nextOrdering;
    // Batches submitted and not yet published, in ordering order (see Settle).
    private readonly Queue<PreparedBatch> _inFlight = new();
    private int _compacting;
    // Index checkpoints: every record below a checkpoint's covered position must be in the index it writes. An append
    // lands at or after the durable end read before it was submitted (the engine writes in submission order), so the
    // covered position is the lowest such floor of the appends (and delete markers) not yet in the index.
    private readonly List<long> _markerFloors = new();
    private readonly IndexCheckpointFile _checkpoints;
    private readonly ILoggingAdapter _log;
    private long _checkpointedAt;   // log position the last checkpoint covered (or open read up to)
    private int _checkpointing;
    private Task _checkpointTask = Task.CompletedTask;

    private JournalStore(JournalSettings settings, WriteAheadLog wal, JournalIndex index, PayloadSerializer serializer,
        IndexCheckpointFile checkpoints, long indexedFrom, ILoggingAdapter log)
    {
        Settings = settings;
        _wal = wal;
        _index = index;
        _serializer = serializer;
        _nextOrdering = index.NextOrdering;
        _checkpoints = checkpoints;
        _log = log;
        _checkpointedAt = indexedFrom;
        IndexedFrom = indexedFrom;
    }

    public JournalSettings Settings { get; }
    public bool IsDisposed { get; private set; }
    public Exception? Failure => _wal.Failure;

    public WalJournalStatus Status() =>
        new(Settings.PluginId, Settings.Directory, _wal.Recovery, _wal.DurableEnd, _wal.Segments.Count, _wal.Failure);

    /// <summary>Raised (outside any lock) after events became visible or were deleted; live queries re-read then.</summary>
    public event Action? Changed;

    public static JournalStore Open(ExtendedActorSystem system, JournalSettings settings)
    {
        var options = settings.ToWalOptions();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var wal = WriteAheadLog.Open(options);
        try
        {
            var engineOpen = clock.Elapsed;
            var checkpoints = new IndexCheckpointFile(options.FileSystem, settings.Directory);
            var index = OpenIndex(wal, checkpoints, settings, system.Log, out var indexedFrom, out var phases);
            system.Log.Info("journal [{0}] opened in {1:F1} ms: engine open {2:F1} ms ({3}); index {4}; {5} persistence ids",
                settings.PluginId, clock.Elapsed.TotalMilliseconds, engineOpen.TotalMilliseconds, wal.Recovery.ToString().Split('\n')[0],
                phases, index.PersistenceIdCount);
            return new JournalStore(settings, wal, index, new PayloadSerializer(system), checkpoints, indexedFrom, system.Log);
        }
        catch
        {
            wal.Dispose();
            throw;
        }
    }

    /// <summary>The index of the open log: the checkpoint plus the log after it when the checkpoint passes its checks,
    /// else one scan of the whole log (and an unusable checkpoint is removed, with a warning saying why).
    /// <paramref name="indexedFrom"/>: where the scan started, so a long scan is followed by a checkpoint soon.</summary>
    private static JournalIndex OpenIndex(WriteAheadLog wal, IndexCheckpointFile checkpoints, JournalSettings settings,
        ILoggingAdapter log, out long indexedFrom, out string phases)
    {
        indexedFrom = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (settings.IndexCheckpoints)
        {
            var loaded = checkpoints.TryLoad(wal, warning => log.Warning("journal [{0}]: {1}", settings.PluginId, warning), out var problem);
            if (loaded is not null)
            {
                var load = clock.Elapsed;
                indexedFrom = loaded.Header.CoveredPosition;
                var builder = new JournalIndexBuilder(loaded.Index, loaded.PublishedUpTo);
                try { foreach (var record in wal.ReadFrom(loaded.Header.CoveredPosition)) builder.Apply(record); }
                catch
                {
                    loaded.Source.Dispose();
                    throw;
                }
                JournalIndex index;
                try { index = builder.Finish(loaded.Header.NextOrdering); }
                catch
                {
                    loaded.Source.Dispose();
                    throw;
                }
                phases = $"checkpoint load {load.TotalMilliseconds:F1} ms, tail of {builder.Records} records {(clock.Elapsed - load).TotalMilliseconds:F1} ms";
                return index;
            }
            if (problem is not null)
            {
                log.Warning("journal [{0}]: index checkpoint {1} not used: {2}; rebuilding the index from the whole log",
                    settings.PluginId, checkpoints.Path, problem);
                checkpoints.Delete();
            }
        }
        var rebuilt = JournalIndex.Rebuild(wal.ReadFrom());
        phases = $"rebuilt from the whole log in {clock.Elapsed.TotalMilliseconds:F1} ms";
        return rebuilt;
    }

    // ---------------------------------------------------------------- index checkpoints

    /// <summary>Starts a checkpoint in the background when the log grew by the configured amount since the last one.</summary>
    private void MaybeCheckpoint()
    {
        if (!Settings.IndexCheckpoints || _wal.DurableEnd - Volatile.Read(ref _checkpointedAt) < Settings.IndexCheckpointEvery) return;
        if (Interlocked.CompareExchange(ref _checkpointing, 1, 0) != 0) return;
        _checkpointTask = Task.Factory.StartNew(() =>
        {
            try { WriteCheckpoint(); }
            catch (Exception e) { _log.Warning("journal [{0}]: index checkpoint failed ({1}); the next open reads more of the log", Settings.PluginId, e.Message); }
            finally { Volatile.Write(ref _checkpointing, 0); }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Writes a checkpoint of the index now (blocking: encoding holds the index lock, then the file is written and
    /// fsynced). Returns false when the log has failed (what is durable is unknown) or the checkpoint's anchor record
    /// was compacted away meanwhile.
    /// </summary>
    internal bool WriteCheckpoint()
    {
        if (_wal.Failure is not null) return false;
        byte[] encoded;
        long covered;
        lock (_appendLock)
        lock (_lock)
        {
            covered = _wal.DurableEnd;
            // The queue is in submission order, so its head has the lowest floor.
            if (_inFlight.Count > 0) covered = Math.Min(covered, _inFlight.Peek().Floor);
            foreach (var floor in _markerFloors) covered = Math.Min(covered, floor);
            encoded = IndexCheckpoint.Encode(_index, _wal.LogId, covered, _nextOrdering, _index.Source);
        }
        var anchors = IndexCheckpoint.AnchorPositions(encoded);
        var crcs = new uint[anchors.Length];
        for (var i = 0; i < anchors.Length; i++)
        {
            try { crcs[i] = Crc32C.Compute(_wal.ReadAt(anchors[i]).Payload.Span); }
            catch (ArgumentOutOfRangeException) { return false; } // compacted meanwhile: the next checkpoint will do
            catch (WalCorruptionException) { return false; } // no checkpoint over damage; replays of that record report it
        }
        IndexCheckpoint.SealWithAnchors(encoded, crcs);
        _checkpoints.Write(encoded);
        InterlockedMax(ref _checkpointedAt, covered);
        return true;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Volatile.Read(ref target); seen < value; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    /// <summary>Writes a checkpoint unless one is being written; warns instead of throwing (a checkpoint is an optimisation).</summary>
    private void CheckpointNow(string when)
    {
        if (!Settings.IndexCheckpoints) return;
        try { _checkpointTask.Wait(); } catch { /* reported by the task */ }
        if (Interlocked.CompareExchange(ref _checkpointing, 1, 0) != 0) return;
        try { WriteCheckpoint(); }
        catch (Exception e) { _log.Warning("journal [{0}]: index checkpoint {1} failed ({2}); the next open reads more of the log", Settings.PluginId, when, e.Message); }
        finally { Volatile.Write(ref _checkpointing, 0); }
    }

    // ---------------------------------------------------------------- writes

    /// <summary>
    /// Encodes one AtomicWrite's events as one engine batch. Throws when the write must be rejected (a payload that
    /// does not serialize, an event over max-record-size); nothing is stored then.
    /// </summary>
    public PreparedBatch Prepare(string persistenceId, IReadOnlyList<IPersistentRepresentation> events)
    {
        var records = new ReadOnlyMemory<byte>[events.Count];
        string[]?[]? tags = null;
        var timestamp = DateTime.UtcNow.Ticks;
        for (var k = 0; k < events.Count; k++)
        {
            var e = events[k];
            var payload = e.Payload;
            string[] eventTags = [];
            if (payload is Tagged tagged)
            {
                payload = tagged.Payload;
                eventTags = [.. tagged.Tags];
                Array.Sort(eventTags, StringComparer.Ordinal);
                (tags ??= new string[]?[events.Count])[k] = eventTags;
            }
            var serialized = _serializer.Serialize(payload);
            var record = JournalRecordCodec.EncodeEvent(0, e.SequenceNr, timestamp, e.PersistenceId, eventTags,
                e.WriterGuid ?? "", e.Manifest ?? "", serialized.SerializerId, serialized.Manifest, serialized.Bytes);
            if (record.Length > Settings.MaxRecordSize)
                throw new JournalRecordTooLargeException(
                    $"event {e.PersistenceId}/{e.SequenceNr} encodes to {record.Length} bytes, over {Settings.PluginId}.max-record-size ({Settings.MaxRecordSize} bytes)");
            records[k] = record;
        }
        return new PreparedBatch(events, persistenceId, records, tags);
    }

    /// <summary>
    /// Hands prepared batches (one per AtomicWrite, with its index in the group) to the log. Each settles on its own
    /// (see <see cref="PreparedBatch"/>); the write reports once the last has settled, never inside this call's locks.
    /// </summary>
    public void Append(JournalWrite write, IReadOnlyList<PreparedBatch> batches)
    {
        write.Store = this;
        if (batches.Count > 0)
        {
            lock (_appendLock)
            {
                // Orderings are assigned and batches handed to the engine in one critical section, so log order
                // follows ordering order and the in-flight queue below is in ordering order. The index lock is taken
                // once per group, never while calling the engine.
                var floor = _wal.DurableEnd; // every batch below lands at or after it (index checkpoints)
                lock (_lock)
                {
                    for (var i = 0; i < batches.Count; i++)
                    {
                        var batch = batches[i];
                        batch.Floor = floor;
                        batch.Store = this;
                        batch.Write = write;
                        batch.SetOrderings(_nextOrdering);
                        _nextOrdering += batch.Records.Length;
                        batch.Pid = _index.GetOrAdd(batch.PersistenceId);
                        batch.Pid.InFlight++;
                        _inFlight.Enqueue(batch);
                        write.Hold();
                    }
                }
                // A batch the engine refuses at once settles inside this call (it takes the index lock itself).
                for (var i = 0; i < batches.Count; i++) _wal.AppendBatch(batches[i].Records, batches[i]);
            }
        }
        write.BatchDone(); // the submitter's hold
    }

    /// <summary>
    /// Stores each AtomicWrite as one atomic engine batch. Returns null or one entry per AtomicWrite: a non-null
    /// entry is a rejection (not serializable, too large; nothing of it stored). Faults when the log fails.
    /// (The journal actor uses <see cref="Prepare"/> and <see cref="Append"/> directly; this is for tools and tests.)
    /// </summary>
    public Task<IImmutableList<Exception?>?> WriteAsync(IReadOnlyList<AtomicWrite> writes)
    {
        var done = new TaskCompletionSource<IImmutableList<Exception?>?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = new JournalWrite(writes.Count, w =>
        {
            if (w.Failure is { } failure) done.SetException(WriteFailure(failure));
            else done.SetResult(w.AnyRejected ? Enumerable.Range(0, w.AtomicWrites).Select(w.RejectionOf).ToImmutableList() : null);
        });
        var batches = new List<PreparedBatch>(writes.Count);
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                var batch = Prepare(writes[i].PersistenceId, (IImmutableList<IPersistentRepresentation>)writes[i].Payload);
                batch.Index = i;
                batches.Add(batch);
            }
            catch (Exception e) { write.Reject(i, e); }
        }
        Append(write, batches);
        return done.Task;
    }

    /// <summary>What a group whose append failed at the log reports to its writers.</summary>
    public JournalWriteException WriteFailure(Exception cause) =>
        new($"journal [{Settings.PluginId}] at {Settings.Directory}: append failed; the events may not be stored", cause);

    /// <summary>
    /// Index a settled batch (positions null: not stored) and publish what is now contiguous. Batches wait in the
    /// in-flight queue in ordering order, so events become visible to ordered queries only when every lower
    /// ordering has settled: a query never skips an event that lands late.
    /// </summary>
    internal void Settle(PreparedBatch batch, long[]? positions)
    {
        TaskCompletionSource? drained = null;
        lock (_lock)
        {
            var pid = batch.Pid!;
            if (positions is not null)
            {
                for (var k = 0; k < positions.Length; k++)
                    _index.AddEvent(pid, batch.Events[k].SequenceNr, positions[k], batch.Records[k].Length);
            }
            batch.Positions = positions;
            batch.Settled = true;
            while (_inFlight.Count > 0 && _inFlight.Peek().Settled)
            {
                var head = _inFlight.Dequeue();
                if (head.Positions is not { } stored) continue;
                for (var k = 0; k < stored.Length; k++)
                    _index.Publish(new LogEntry(head.FirstOrdering + k, stored[k], head.Pid!, head.Events[k].SequenceNr), head.TagsOf(k));
            }
            if (--pid.InFlight == 0 && pid.Drained is not null)
            {
                drained = pid.Drained;
                pid.Drained = null;
            }
        }
        drained?.TrySetResult();
    }

    /// <summary>A group settled: wake live queries once for it (called by <see cref="JournalWrite"/>, outside the locks).</summary>
    internal void GroupSettled()
    {
        ChangeNotification.Raise(Changed);
        MaybeCheckpoint();
    }

    // ---------------------------------------------------------------- highest, delete

    /// <summary>Waits until no append of pid is outstanding, so the answer covers every acknowledged write.</summary>
    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId)
    {
        while (true)
        {
            Task drained;
            lock (_lock)
            {
                var pid = _index.Find(persistenceId);
                if (pid is null) return 0;
                if (pid.InFlight == 0) return pid.Highest;
                // Created only when someone waits, so a write costs no completion source.
                drained = (pid.Drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await drained.ConfigureAwait(false);
        }
    }

    /// <summary>Deletes events of pid up to toSequenceNr (inclusive) with one durable marker record.</summary>
    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr)
    {
        var highest = await ReadHighestSequenceNrAsync(persistenceId).ConfigureAwait(false);
        // Every event this marker deletes has settled, so its ordering is below the next one to assign.
        long highWaterOrdering;
        lock (_appendLock) highWaterOrdering = _nextOrdering - 1;
        DeleteMarker marker;
        long floor;
        lock (_lock)
        {
            var pid = _index.Find(persistenceId);
            // Only existing events are deleted: events written later with higher numbers stay.
            var to = Math.Min(toSequenceNr, highest);
            if (pid is null || to <= pid.DeletedTo) return;
            marker = new DeleteMarker(persistenceId, to, Math.Max(highest, pid.Highest), highWaterOrdering);
            floor = _wal.DurableEnd; // the marker lands at or after it
            _markerFloors.Add(floor);
        }
        var record = JournalRecordCodec.EncodeDeleteMarker(marker);
        try
        {
            var position = await _wal.AppendAsync(record).ConfigureAwait(false);
            lock (_lock)
            {
                _index.ApplyDelete(marker, position, record.Length);
                _markerFloors.Remove(floor);
            }
        }
        catch
        {
            lock (_lock) _markerFloors.Remove(floor);
            throw;
        }
        ChangeNotification.Raise(Changed);
    }

    // ---------------------------------------------------------------- replay

    /// <summary>Replays live events of pid in [from, to], at most max, reading only that id's records.</summary>
    public void Replay(string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> callback, CancellationToken cancel)
    {
        const int chunk = 1024;
        var next = Math.Max(1, fromSequenceNr);
        var remaining = max;
        while (remaining > 0 && next <= toSequenceNr)
        {
            List<PidEntry> entries;
            lock (_lock) entries = _index.EventsOf(persistenceId, next, toSequenceNr, (int)Math.Min(chunk, remaining));
            if (entries.Count == 0) return;
            foreach (var entry in entries)
            {
                cancel.ThrowIfCancellationRequested();
                var record = TryReadEvent(entry.Position, persistenceId, entry.SequenceNr);
                if (record is null) continue;
                callback(new Persistent(Deserialize(record), record.SequenceNr, record.PersistenceId, record.EventManifest,
                    false, ActorRefs.NoSender, record.WriterGuid, record.Timestamp));
                remaining--;
            }
            next = entries[^1].SequenceNr + 1;
        }
    }

    /// <summary>Reads one event record; null when the event was deleted (and perhaps compacted) meanwhile.</summary>
    private EventRecord? TryReadEvent(long position, string persistenceId, long sequenceNr)
    {
        try
        {
            var record = _wal.ReadAt(position);
            return JournalRecordCodec.DecodeEvent(record.Payload, position);
        }
        catch (Exception) when (IsDeleted(persistenceId, sequenceNr))
        {
            return null;
        }
    }

    private bool IsDeleted(string persistenceId, long sequenceNr)
    {
        lock (_lock) return _index.Find(persistenceId)?.IsDeleted(sequenceNr) ?? false;
    }

    private object Deserialize(EventRecord record)
    {
        try
        {
            return _serializer.Deserialize(record.Payload.ToArray(), record.SerializerId, record.SerializerManifest);
        }
        catch (Exception e)
        {
            throw new JournalFormatException(-1,
                $"event {record.PersistenceId}/{record.SequenceNr} (ordering {record.Ordering}) cannot be deserialized with serializer {record.SerializerId} manifest \"{record.SerializerManifest}\": {e.Message}");
        }
    }

    // ---------------------------------------------------------------- queries

    public long MaxPublishedOrdering { get { lock (_lock) return _index.MaxPublishedOrdering; } }

    public long HighestSequenceNr(string persistenceId)
    {
        lock (_lock) return _index.Find(persistenceId)?.Highest ?? 0;
    }

    /// <summary>Events in ordering order after an ordering (tag null: all events), up to max, read and deserialized.</summary>
    public List<(long Ordering, EventRecord Record, object Event)> ReadAfterOrdering(string? tag, long afterOrdering, long upToOrdering, int max, out long lastOrdering)
    {
        List<LogEntry> entries;
        lock (_lock) entries = _index.EntriesAfter(tag, afterOrdering, upToOrdering, max);
        lastOrdering = entries.Count == 0 ? afterOrdering : entries[^1].Ordering;
        var result = new List<(long, EventRecord, object)>(entries.Count);
        foreach (var entry in entries)
        {
            if (!IsCurrent(entry)) continue;
            var record = TryReadEvent(entry.Position, entry.Pid.Id, entry.SequenceNr);
            if (record is not null) result.Add((entry.Ordering, record, Deserialize(record)));
        }
        return result;
    }

    /// <summary>Live events of pid with sequence number in (afterSequenceNr, toSequenceNr], up to max.</summary>
    public List<(EventRecord Record, object Event)> ReadEventsOf(string persistenceId, long afterSequenceNr, long toSequenceNr, int max, out long lastSequenceNr)
    {
        List<PidEntry> entries;
        lock (_lock) entries = _index.EventsOf(persistenceId, afterSequenceNr + 1, toSequenceNr, max);
        lastSequenceNr = entries.Count == 0 ? afterSequenceNr : entries[^1].SequenceNr;
        var result = new List<(EventRecord, object)>(entries.Count);
        foreach (var entry in entries)
        {
            var record = TryReadEvent(entry.Position, persistenceId, entry.SequenceNr);
            if (record is not null) result.Add((record, Deserialize(record)));
        }
        return result;
    }

    public int PersistenceIdCount { get { lock (_lock) return _index.PersistenceIdCount; } }

    public List<string> PersistenceIdsFrom(int index, int max)
    {
        lock (_lock) return _index.PersistenceIdsFrom(index, max);
    }

    private bool IsCurrent(LogEntry entry)
    {
        lock (_lock) return JournalIndex.IsCurrent(entry);
    }

    // ---------------------------------------------------------------- compaction

    public long DeadBytes { get { lock (_lock) return _index.DeadBytes; } }

    /// <summary>
    /// Physically removes deleted and superseded records (keeping the latest delete marker of each id) when at least
    /// the dead-bytes threshold is waiting, or always when forced. Says why when it did not run.
    /// </summary>
    public async Task<CompactionOutcome> CompactAsync(bool force, CancellationToken cancel = default)
    {
        if (!force && DeadBytes < Settings.CompactionDeadBytesThreshold)
            return CompactionOutcome.Skipped($"{DeadBytes} dead bytes are below {Settings.PluginId}.compaction.dead-bytes-threshold ({Settings.CompactionDeadBytesThreshold})");
        if (Interlocked.Exchange(ref _compacting, 1) == 1)
            return CompactionOutcome.Skipped("another compaction of this journal is in progress");
        try
        {
            long removedBytes = 0;
            var result = await _wal.CompactAsync(record =>
            {
                lock (_lock)
                {
                    if (_index.IsLive(record)) return true;
                    removedBytes += record.Payload.Length;
                    return false;
                }
            }, null, cancel).ConfigureAwait(false);
            lock (_lock) _index.DeadBytes = Math.Max(0, _index.DeadBytes - removedBytes);
            PruneDeleted();
            // A checkpoint from before still indexes exactly (compaction removes only records the log's later markers
            // and records already make dead), but its dead-byte count is too high: replace it.
            if (result.RecordsRemoved > 0) CheckpointNow("after compaction");
            return CompactionOutcome.Ran(result);
        }
        finally
        {
            Volatile.Write(ref _compacting, 0);
        }
    }

    /// <summary>Entries pruned per hold of the index lock: writers and queries wait for at most this many.</summary>
    private const int PruneChunk = 4096;

    /// <summary>Drops deleted events from the global and tag lists a chunk at a time, never holding the lock for a whole pass.</summary>
    private void PruneDeleted()
    {
        List<string?> lists;
        lock (_lock) lists = [null, .. _index.TagNames()];
        foreach (var tag in lists)
        {
            var kept = new List<LogEntry>();
            var next = 0;
            bool done;
            do
            {
                lock (_lock) done = _index.PruneStep(tag, kept, ref next, PruneChunk);
            } while (!done);
        }
    }

    /// <summary>Where open started reading the log: 0 for a full rebuild, else the loaded checkpoint's covered position.</summary>
    internal long IndexedFrom { get; private init; }

    /// <summary>Runs f on the index and the next ordering under the locks (tests compare whole indexes).</summary>
    internal T InspectIndex<T>(Func<JournalIndex, long, T> f)
    {
        lock (_appendLock)
        lock (_lock) return f(_index, _nextOrdering);
    }

    /// <summary>The durable records of the log, in log order (for tests and tools).</summary>
    internal IEnumerable<LogRecord> ReadLog() => _wal.ReadFrom();

    internal IReadOnlyList<SegmentInfo> Segments => _wal.Segments;

    public void Dispose()
    {
        lock (_lock)
        {
            if (IsDisposed) return;
            IsDisposed = true;
        }
        try
        {
            CheckpointNow("at shutdown");
        }
        finally
        {
            _index.Source?.Dispose();
            _wal.Dispose();
        }
    }
}

/// <summary>What a compaction request came to: the engine's result when it ran, else why it did not.</summary>
public sealed record CompactionOutcome(CompactionResult? Result, string? SkippedBecause)
{
    /// <summary>Compaction ran with <paramref name="result"/>.</summary>
    public static CompactionOutcome Ran(CompactionResult result) => new(result, null);
    /// <summary>Compaction did not run, for <paramref name="reason"/>.</summary>
    public static CompactionOutcome Skipped(string reason) => new(null, reason);
}

/// <summary>An event over max-record-size: its AtomicWrite is rejected, nothing of it stored.</summary>
public sealed class JournalRecordTooLargeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An append that failed at the log: the events may or may not be stored, so the write is a failure.</summary>
public sealed class JournalWriteException(string message, Exception inner) : Exception(message, inner);
