using Akka.Persistence;
using AkkaWal.Persistence.Configuration;
using AkkaWal.Storage;

namespace AkkaWal.Persistence.Snapshot;

/// <summary>
/// The snapshot directory of one snapshot store: which snapshot files exist (listed once at open, then kept up to
/// date, so a load never scans the directory) and the durable save / delete of those files.
/// Shared with the read journal, which reports persistence ids that only have snapshots.
/// </summary>
internal sealed class SnapshotCatalog : IDisposable
{
    private readonly object _lock = new();
    // The directory's one-owner lock (the engine's flock on LOCK): no second store, in this process or another,
    // can clean up temp files or delete snapshots under a save in progress.
    private DirectoryLock? _directoryLock;
    // key -> sequence nr -> file name
    private readonly Dictionary<string, SortedDictionary<long, string>> _files = new(StringComparer.Ordinal);
    private readonly List<string> _idsInOrder = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    private SnapshotCatalog(SnapshotStoreSettings settings) => Settings = settings;

    public SnapshotStoreSettings Settings { get; }
    public string Directory => Settings.Directory;

    /// <summary>Raised after a snapshot of a persistence id not seen before was saved.</summary>
    public event Action? Changed;

    public static SnapshotCatalog Open(SnapshotStoreSettings settings)
    {
        var catalog = new SnapshotCatalog(settings);
        try
        {
            catalog._directoryLock = DirectoryLock.Acquire(settings.Directory);
        }
        catch (WalLockedException e)
        {
            throw new SnapshotDirectoryLockedException(settings.PluginId, settings.Directory, e.OwnerProcessId, e);
        }
        try
        {
            catalog.List();
            return catalog;
        }
        catch
        {
            catalog.Dispose();
            throw;
        }
    }

    /// <summary>Lists the directory once: snapshot files into the catalog; temp files of crashed saves are removed.</summary>
    private void List()
    {
        var removedTemp = false;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(SnapshotFileName.TempExtension, StringComparison.Ordinal))
            {
                // A save that crashed before its rename: never acknowledged, so it is garbage.
                File.Delete(path);
                removedTemp = true;
                continue;
            }
            if (!SnapshotFileName.TryParse(name, out var key, out var seqNr)) continue;
            Add(key, seqNr, name, SnapshotFileName.TryDecode(key) ?? TryReadId(path));
        }
        if (removedTemp) DataSync.SyncDirectory(Directory);
    }

    /// <summary>Releases the directory lock (when the actor system terminates).</summary>
    public void Dispose()
    {
        _directoryLock?.Dispose();
        _directoryLock = null;
    }

    public int PersistenceIdCount { get { lock (_lock) return _idsInOrder.Count; } }

    public List<string> PersistenceIdsFrom(int index, int max)
    {
        lock (_lock) return _idsInOrder.Skip(index).Take(max).ToList();
    }

    /// <summary>Writes a snapshot durably: temp file, fsync, rename over any same-numbered one, directory fsync.</summary>
    public void Save(SnapshotFileContent content)
    {
        var name = SnapshotFileName.Of(content.PersistenceId, content.SequenceNr);
        var path = Path.Combine(Directory, name);
        var temp = Path.Combine(Directory, $"{name}.{Guid.NewGuid():N}{SnapshotFileName.TempExtension}");
        var bytes = SnapshotFile.Encode(content);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        DataSync.SyncDirectory(Directory);
        SnapshotFileName.TryParse(name, out var key, out _);
        bool newId;
        lock (_lock) newId = Add(key, content.SequenceNr, name, content.PersistenceId);
        if (newId) ChangeNotification.Raise(Changed);
    }

    /// <summary>
    /// The newest snapshot matching the criteria. A damaged or undeserializable file is skipped for the next older
    /// one, up to max-load-attempts files; if every attempt failed the last error is thrown.
    /// </summary>
    public SelectedSnapshot? Load(string persistenceId, SnapshotSelectionCriteria criteria, Func<SnapshotFileContent, object> deserialize,
        Action<Exception> warn)
    {
        var attempts = 0;
        Exception? last = null;
        foreach (var (seqNr, name) in Candidates(persistenceId, criteria))
        {
            var path = Path.Combine(Directory, name);
            try
            {
                byte[] bytes;
                try { bytes = File.ReadAllBytes(path); }
                catch (FileNotFoundException) { continue; } // deleted meanwhile
                var content = SnapshotFile.Decode(bytes, path);
                if (content.PersistenceId != persistenceId) continue; // a different id with the same hashed key
                if (!TimestampMatches(criteria, content.Timestamp)) continue;
                var metadata = new SnapshotMetadata(content.PersistenceId, content.SequenceNr, content.Timestamp);
                return new SelectedSnapshot(metadata, deserialize(content));
            }
            catch (Exception e)
            {
                last = e;
                warn(e);
                if (++attempts >= Settings.MaxLoadAttempts) break;
            }
        }
        if (last is not null) throw new IOException($"snapshot store [{Settings.PluginId}]: no loadable snapshot of [{persistenceId}] ({attempts} attempt(s)); last error: {last.Message}", last);
        return null;
    }

    /// <summary>
    /// DeleteSnapshot(metadata): deletes the snapshot at exactly that sequence number, and only if its stored timestamp
    /// is at or before the metadata's (an unset timestamp, DateTime.MinValue, matches any), as akka.net #7312 settles.
    /// Deleting nothing is not an error.
    /// </summary>
    public void Delete(SnapshotMetadata metadata)
    {
        var maxTimestamp = metadata.Timestamp == DateTime.MinValue ? DateTime.MaxValue : metadata.Timestamp;
        Delete(metadata.PersistenceId, new SnapshotSelectionCriteria(metadata.SequenceNr, maxTimestamp, metadata.SequenceNr, null));
    }

    public void Delete(string persistenceId, SnapshotSelectionCriteria criteria)
    {
        var any = false;
        var checkTime = criteria.MaxTimeStamp != DateTime.MaxValue || criteria.MinTimestamp is not null;
        foreach (var (_, name) in Candidates(persistenceId, criteria))
        {
            var path = Path.Combine(Directory, name);
            if (checkTime || name[0] == 'h')
            {
                SnapshotFileContent header;
                try { header = SnapshotFile.ReadHeader(path); }
                catch (FileNotFoundException) { continue; }
                if (header.PersistenceId != persistenceId || !TimestampMatches(criteria, header.Timestamp)) continue;
            }
            any |= DeleteFile(name);
        }
        if (any) DataSync.SyncDirectory(Directory);
    }

    /// <summary>Files of the id whose sequence number matches the criteria, newest first.</summary>
    private List<(long SequenceNr, string Name)> Candidates(string persistenceId, SnapshotSelectionCriteria criteria)
    {
        var key = SnapshotFileName.KeyOf(persistenceId);
        lock (_lock)
        {
            if (!_files.TryGetValue(key, out var files)) return new();
            return files.Where(f => f.Key <= criteria.MaxSequenceNr && f.Key >= criteria.MinSequenceNr)
                .Select(f => (f.Key, f.Value)).Reverse().ToList();
        }
    }

    private static bool TimestampMatches(SnapshotSelectionCriteria criteria, DateTime timestamp)
        => timestamp <= criteria.MaxTimeStamp && (criteria.MinTimestamp is not { } min || timestamp >= min);

    private bool DeleteFile(string name)
    {
        if (!SnapshotFileName.TryParse(name, out var key, out var seqNr)) return false;
        File.Delete(Path.Combine(Directory, name));
        lock (_lock)
        {
            if (_files.TryGetValue(key, out var files)) files.Remove(seqNr);
        }
        return true;
    }

    /// <summary>Adds a file to the listing; true when its persistence id was not known before.</summary>
    private bool Add(string key, long seqNr, string name, string? persistenceId)
    {
        if (!_files.TryGetValue(key, out var files)) _files[key] = files = new SortedDictionary<long, string>();
        files[seqNr] = name;
        if (persistenceId is null || !_ids.Add(persistenceId)) return false;
        _idsInOrder.Add(persistenceId);
        return true;
    }

    private static string? TryReadId(string path)
    {
        try { return SnapshotFile.ReadHeader(path).PersistenceId; }
        catch (Exception) { return null; } // a damaged file; loads will skip it and log why
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
    }
}

/// <summary>The snapshot directory is already in use by another snapshot store (in this or another process).</summary>
public sealed class SnapshotDirectoryLockedException(string pluginId, string directory, int? ownerProcessId, Exception inner)
    : Exception($"snapshot store [{pluginId}]: the snapshot directory '{directory}' is already in use" +
                (ownerProcessId is { } pid ? $" by process {pid}" + (pid == Environment.ProcessId ? " (this process)" : "") : "") +
                "; only one snapshot store may own a directory at a time (give each its own directory).", inner)
{
    /// <summary>The locked snapshot directory.</summary>
    public string Directory { get; } = directory;
    /// <summary>The process holding it, when known.</summary>
    public int? OwnerProcessId { get; } = ownerProcessId;
}
