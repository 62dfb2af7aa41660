using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Snapshot;

namespace AkkaWal.Persistence.Snapshot;

/// <summary>
/// The Akka.Persistence snapshot store of AkkaWal (`akka.persistence.snapshot-store.wal`): one durable file per
/// snapshot. Its file I/O runs synchronously on the store's own (pinned) dispatcher, never the default one.
/// </summary>
public sealed class WalSnapshotStore : SnapshotStore
{
    private readonly SnapshotCatalog _catalog;
    private readonly PayloadSerializer _serializer;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Created by Akka.Persistence from the plugin's <paramref name="config"/> section.</summary>
    public WalSnapshotStore(Config config)
    {
        _catalog = WalPersistence.Get(Context.System).Snapshots(Self.Path.Name);
        _serializer = new PayloadSerializer((ExtendedActorSystem)Context.System);
    }

    /// <inheritdoc/>
    protected override Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
        => Run(() => _catalog.Load(persistenceId, criteria,
            c => _serializer.Deserialize(c.Payload, c.SerializerId, c.Manifest),
            e => _log.Warning("skipping snapshot of [{0}]: {1}", persistenceId, e.Message)));

    /// <inheritdoc/>
    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
        => Run(() =>
        {
            var serialized = _serializer.Serialize(snapshot);
            _catalog.Save(new SnapshotFileContent(metadata.PersistenceId, metadata.SequenceNr, metadata.Timestamp,
                serialized.SerializerId, serialized.Manifest, serialized.Bytes));
            return true;
        });

    /// <inheritdoc/>
    protected override Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken)
        => Run(() => { _catalog.Delete(metadata); return true; });

    /// <inheritdoc/>
    protected override Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
        => Run(() => { _catalog.Delete(persistenceId, criteria); return true; });

    /// <summary>Does the (blocking) work here, on this actor's dedicated thread, and hands back its outcome as a task.</summary>
    private static Task<T> Run<T>(Func<T> work)
    {
        try { return Task.FromResult(work()); }
        catch (Exception e) { return Task.FromException<T>(e); }
    }
}
