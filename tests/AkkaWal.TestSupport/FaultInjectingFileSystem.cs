using AkkaWal.Storage;

namespace AkkaWal.TestSupport;

/// <summary>Operations <see cref="FaultInjectingFileSystem"/> counts and can fail.</summary>
public enum FaultOperation { Any, Write, FlushData, Create, Rename, Delete, SyncDirectory, Preallocate, SetLength }

/// <summary>A test seam over a real file system (LevelDB's fault_injection_test, SQLite's crash VFS): fails the Nth
/// operation of a kind with an errno (EIO, ENOSPC...), and simulates a power cut by dropping every byte written since
/// each file's last fdatasync (the previous bytes come back) and every create, rename and delete since the last
/// directory fsync, and every directory created since its parent's last fsync (with what it holds). After a cut every operation fails, as if the process died; reopen the directory with the real
/// file system to see what survived.</summary>
public sealed class FaultInjectingFileSystem : IWalFileSystem
{
    public const int EIO = 5;
    public const int ENOSPC = 28;
    private const string BackupMarker = ".fi-backup-";

    private readonly IWalFileSystem _inner;
    private readonly object _gate = new();
    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly List<DirOp> _dirOps = [];
    private readonly List<string> _unsyncedDirectories = []; // created, not yet synced in their parent; oldest first
    private readonly Dictionary<FaultOperation, int> _counts = [];
    private readonly List<Fault> _faults = [];
    private int _backupSeq;
    private (FaultOperation Op, int At)? _cutAt;

    public FaultInjectingFileSystem(IWalFileSystem? inner = null) => _inner = inner ?? PhysicalFileSystem.Instance;

    /// <summary>True once the power was cut; every later operation throws.</summary>
    public bool IsCut { get; private set; }

    /// <summary>Called (under the seam's lock) before each operation with its kind and path.</summary>
    public Action<FaultOperation, string>? OnOperation { get; set; }

    /// <summary>Operations of a kind performed (or attempted) so far.</summary>
    public int Count(FaultOperation op)
    {
        lock (_gate) return _counts.GetValueOrDefault(op);
    }

    /// <summary>The <paramref name="nth"/> next operation of <paramref name="op"/> (1 = the next one) fails with
    /// <paramref name="errno"/> and does nothing; with <paramref name="persistent"/> so does every later one.</summary>
    public void InjectFault(FaultOperation op, int nth, int errno, bool persistent = false)
    {
        lock (_gate) _faults.Add(new Fault(op, Count(op) + nth, errno, persistent));
    }

    /// <summary>Removes injected faults ("space was freed").</summary>
    public void ClearFaults()
    {
        lock (_gate) _faults.Clear();
    }

    /// <summary>Cuts the power instead of performing the <paramref name="nth"/> next operation of a kind.</summary>
    public void PowerCutAt(FaultOperation op, int nth)
    {
        lock (_gate) _cutAt = (op, Count(op) + nth);
    }

    /// <summary>Cuts the power now: unsynced data and directory changes are rolled back on disk.</summary>
    public void PowerCut()
    {
        lock (_gate) CutLocked(null);
    }

    /// <summary>Cuts the power now, but like a real disk tears the unsynced writes: each 512-byte sector of them
    /// independently keeps its newest bytes or gets its last synced ones back (SQLite's crash VFS). Directory changes since the
    /// last directory fsync are still rolled back.</summary>
    public void PowerCutTearingSectors(Random random)
    {
        lock (_gate) CutLocked(random);
    }

    public IWalFile OpenFile(string path, WalFileOpen mode)
    {
        lock (_gate)
        {
            Before(mode == WalFileOpen.CreateNew ? FaultOperation.Create : FaultOperation.Any, path);
            var inner = _inner.OpenFile(path, mode);
            if (!_nodes.TryGetValue(path, out var node) || mode == WalFileOpen.CreateNew)
            {
                node = new Node { Path = path };
                _nodes[path] = node;
            }
            if (mode == WalFileOpen.CreateNew) _dirOps.Add(new DirOp(DirOpKind.Created, path, null, null, node));
            return new FaultFile(this, node, inner);
        }
    }

    public bool FileExists(string path) => _inner.FileExists(path);

    public IReadOnlyList<string> ListFiles(string directory)
        => _inner.ListFiles(directory).Where(n => !n.Contains(BackupMarker, StringComparison.Ordinal)).ToList();

    public void CreateDirectory(string directory)
    {
        lock (_gate)
        {
            Before(FaultOperation.Any, directory);
            // Every missing level is a new entry in its parent, lost at a cut until that parent is fsynced.
            var missing = new List<string>();
            for (string? d = Path.GetFullPath(directory); d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d))
                missing.Add(d);
            _inner.CreateDirectory(directory);
            missing.Reverse();
            _unsyncedDirectories.AddRange(missing);
        }
    }

    public void Rename(string source, string destination)
    {
        lock (_gate)
        {
            Before(FaultOperation.Rename, source);
            string? backup = null;
            if (_inner.FileExists(destination))
            {
                backup = NewBackupName(destination);
                _inner.Rename(destination, backup);
                if (_nodes.Remove(destination, out var replaced)) { replaced.Path = backup; _nodes[backup] = replaced; }
            }
            _inner.Rename(source, destination);
            if (_nodes.Remove(source, out var moved)) { moved.Path = destination; _nodes[destination] = moved; }
            _dirOps.Add(new DirOp(DirOpKind.Renamed, source, destination, backup, null));
        }
    }

    public void Delete(string path)
    {
        lock (_gate)
        {
            Before(FaultOperation.Delete, path);
            if (!_inner.FileExists(path)) return;
            string backup = NewBackupName(path);
            _inner.Rename(path, backup);
            if (_nodes.Remove(path, out var node)) { node.Path = backup; _nodes[backup] = node; }
            _dirOps.Add(new DirOp(DirOpKind.Deleted, path, null, backup, null));
        }
    }

    public void SyncDirectory(string directory)
    {
        lock (_gate)
        {
            Before(FaultOperation.SyncDirectory, directory);
            _inner.SyncDirectory(directory);
            string synced = Path.GetFullPath(directory);
            _unsyncedDirectories.RemoveAll(d => string.Equals(Path.GetDirectoryName(d), synced, StringComparison.Ordinal));
            foreach (var op in _dirOps)
                if (op.Backup is { } b && _inner.FileExists(b))
                {
                    _inner.Delete(b);
                    _nodes.Remove(b);
                }
            _dirOps.Clear();
        }
    }

    private string NewBackupName(string path) => path + BackupMarker + (++_backupSeq);

    /// <summary>Counts the operation, then cuts the power or throws an injected fault if one is due.</summary>
    private void Before(FaultOperation op, string path)
    {
        if (IsCut) throw DataSync.ErrnoException(EIO, $"{op} on '{path}' after a simulated power cut");
        OnOperation?.Invoke(op, path);
        int any = _counts[FaultOperation.Any] = _counts.GetValueOrDefault(FaultOperation.Any) + 1;
        int n = any;
        if (op != FaultOperation.Any) n = _counts[op] = _counts.GetValueOrDefault(op) + 1;
        if (_cutAt is { } c && ((c.Op == FaultOperation.Any && any >= c.At) || (c.Op == op && n >= c.At)))
        {
            CutLocked(null);
            throw DataSync.ErrnoException(EIO, $"{op} on '{path}': simulated power cut");
        }
        foreach (var f in _faults)
            if (f.Op == op && (n == f.At || (f.Persistent && n >= f.At)))
                throw DataSync.ErrnoException(f.Errno, $"{op} on '{path}' (injected fault)");
    }

    private void CutLocked(Random? tear)
    {
        if (IsCut) return;
        IsCut = true;
        // Unsynced data first (by the file's current name), then directory changes newest first.
        foreach (var node in _nodes.Values)
        {
            if (node.Undo.Count == 0 || !_inner.FileExists(node.Path)) continue;
            using var f = _inner.OpenFile(node.Path, WalFileOpen.ReadWrite);
            // A sector is written whole: it keeps the newest bytes of every unsynced write or gets back its synced state.
            var reverted = new Dictionary<long, bool>();
            for (int i = node.Undo.Count - 1; i >= 0; i--)
            {
                var u = node.Undo[i];
                if (tear is null)
                {
                    if (u.Old.Length > 0) f.Write(u.Offset, u.Old);
                    if (f.Length != u.OldLength) f.SetLength(u.OldLength);
                    continue;
                }
                for (long sector = u.Offset / 512 * 512; sector < u.Offset + u.Old.Length; sector += 512)
                {
                    long from = Math.Max(sector, u.Offset), to = Math.Min(sector + 512, u.Offset + u.Old.Length);
                    if (!reverted.TryGetValue(sector, out bool revert)) reverted[sector] = revert = tear.Next(2) == 0;
                    if (revert) f.Write(from, u.Old.AsSpan((int)(from - u.Offset), (int)(to - from)));
                }
            }
            node.Undo.Clear();
        }
        for (int i = _dirOps.Count - 1; i >= 0; i--)
        {
            var op = _dirOps[i];
            switch (op.Kind)
            {
                case DirOpKind.Created:
                    if (_inner.FileExists(op.Path)) _inner.Delete(op.Path);
                    break;
                case DirOpKind.Renamed:
                    _inner.Rename(op.Target!, op.Path);
                    if (op.Backup is { } b) _inner.Rename(b, op.Target!);
                    break;
                case DirOpKind.Deleted:
                    _inner.Rename(op.Backup!, op.Path);
                    break;
            }
        }
        _dirOps.Clear();
        // A directory whose entry in its parent was never synced is gone, with everything in it.
        for (int i = _unsyncedDirectories.Count - 1; i >= 0; i--)
            if (Directory.Exists(_unsyncedDirectories[i])) Directory.Delete(_unsyncedDirectories[i], recursive: true);
        _unsyncedDirectories.Clear();
    }

    private void Write(Node node, IWalFile inner, long offset, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            Before(FaultOperation.Write, node.Path);
            long length = inner.Length;
            var old = new byte[Math.Clamp(length - offset, 0, data.Length)];
            if (old.Length > 0) inner.Read(offset, old);
            node.Undo.Add(new Undo(offset, old, length));
            inner.Write(offset, data);
        }
    }

    private void Resize(Node node, IWalFile inner, long length, bool preallocate)
    {
        lock (_gate)
        {
            Before(preallocate ? FaultOperation.Preallocate : FaultOperation.SetLength, node.Path);
            long oldLength = inner.Length;
            var lost = new byte[Math.Max(0, oldLength - length)];
            if (lost.Length > 0) inner.Read(length, lost);
            node.Undo.Add(new Undo(length, lost, oldLength));
            if (preallocate) inner.Preallocate(length);
            else inner.SetLength(length);
        }
    }

    private void Flush(Node node, IWalFile inner)
    {
        lock (_gate)
        {
            Before(FaultOperation.FlushData, node.Path);
            inner.FlushData();
            node.Undo.Clear();
        }
    }

    private void CheckAlive(string path)
    {
        if (IsCut) throw DataSync.ErrnoException(EIO, $"read of '{path}' after a simulated power cut");
    }

    private sealed class Node
    {
        public required string Path;
        public readonly List<Undo> Undo = [];
    }

    private readonly record struct Undo(long Offset, byte[] Old, long OldLength);
    private enum DirOpKind { Created, Renamed, Deleted }
    private sealed record DirOp(DirOpKind Kind, string Path, string? Target, string? Backup, Node? Node);
    private sealed record Fault(FaultOperation Op, int At, int Errno, bool Persistent);

    private sealed class FaultFile(FaultInjectingFileSystem fs, Node node, IWalFile inner) : IWalFile
    {
        public string Path => node.Path;
        public long Length => inner.Length;

        public int Read(long offset, Span<byte> buffer)
        {
            fs.CheckAlive(node.Path);
            return inner.Read(offset, buffer);
        }

        public void Write(long offset, ReadOnlySpan<byte> data) => fs.Write(node, inner, offset, data);
        public void FlushData() => fs.Flush(node, inner);
        public void Preallocate(long length) => fs.Resize(node, inner, length, preallocate: true);
        public void SetLength(long length) => fs.Resize(node, inner, length, preallocate: false);
        public void Dispose() => inner.Dispose();
    }
}
