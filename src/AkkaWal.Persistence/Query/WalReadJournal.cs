using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaWal.Persistence.Configuration;
using AkkaWal.Persistence.Journal;
using AkkaWal.Persistence.Snapshot;

namespace AkkaWal.Persistence.Query;

/// <summary>
/// Persistence.Query on the AkkaWal journal (`akka.persistence.query.journal.wal`). Reads the journal's in-memory index
/// in this process; tag and all-events streams use the journal's global ordering as an exclusive <see cref="Sequence"/> offset.
/// </summary>
public sealed class WalReadJournal :
    IPersistenceIdsQuery, ICurrentPersistenceIdsQuery,
    IEventsByPersistenceIdQuery, ICurrentEventsByPersistenceIdQuery,
    IEventsByTagQuery, ICurrentEventsByTagQuery,
    IAllEventsQuery, ICurrentAllEventsQuery
{
    /// <summary>The read journal's HOCON path, for <c>ReadJournalFor</c>.</summary>
    public const string Identifier = "akka.persistence.query.journal.wal";

    private readonly ExtendedActorSystem _system;
    private readonly ReadJournalSettings _settings;

    /// <summary>Created by <see cref="WalReadJournalProvider"/> from the read journal's <paramref name="config"/> section in <paramref name="system"/>.</summary>
    public WalReadJournal(ExtendedActorSystem system, Config config)
    {
        _system = system;
        WalPersistence.Get(system); // injects reference.conf (dispatchers, defaults)
        _settings = ReadJournalSettings.Create(config, Identifier);
    }

    /// <inheritdoc/>
    public Source<string, NotUsed> PersistenceIds() => PersistenceIdsSource(live: true);

    /// <inheritdoc/>
    public Source<string, NotUsed> CurrentPersistenceIds() => PersistenceIdsSource(live: false);

    /// <inheritdoc/>
    public Source<EventEnvelope, NotUsed> EventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr)
        => Build(store => new PersistenceIdCursor(store, persistenceId, fromSequenceNr, toSequenceNr, live: true), live: true);

    /// <inheritdoc/>
    public Source<EventEnvelope, NotUsed> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr)
        => Build(store => new PersistenceIdCursor(store, persistenceId, fromSequenceNr,
            Math.Min(toSequenceNr, store.HighestSequenceNr(persistenceId)), live: false), live: false);

    /// <inheritdoc/>
    public Source<EventEnvelope, NotUsed> EventsByTag(string tag, Offset offset)
        => Build(store => new OrderingCursor(store, tag, OrderingOf(offset), null), live: true);

    /// <inheritdoc/>
    public Source<EventEnvelope, NotUsed> CurrentEventsByTag(string tag, Offset offset)
        => Build(store => new OrderingCursor(store, tag, OrderingOf(offset), store.MaxPublishedOrdering), live: false);

    /// <inheritdoc/>
    public Source<EventEnvelope, NotUsed> AllEvents(Offset offset)
        => Build(store => new OrderingCursor(store, null, OrderingOf(offset), null), live: true);

    /// <inheritdoc/>
    public Source<EventEnvelope, NotUsed> CurrentAllEvents(Offset offset)
        => Build(store => new OrderingCursor(store, null, OrderingOf(offset), store.MaxPublishedOrdering), live: false);

    private Source<EventEnvelope, NotUsed> Build(Func<JournalStore, IQueryCursor<EventEnvelope>> cursor, bool live)
    {
        return Source.FromGraph(new QueryCursorSource<EventEnvelope>(
                () => cursor(Store()),
                live ? wake => Store().Changed += wake : null,
                live ? wake => Store().Changed -= wake : null,
                _settings.RefreshInterval, _settings.MaxBufferSize))
            .WithAttributes(ActorAttributes.CreateDispatcher(_settings.Dispatcher));
    }

    private Source<string, NotUsed> PersistenceIdsSource(bool live)
    {
        return Source.FromGraph(new QueryCursorSource<string>(
                () => new PersistenceIdsCursor(Store(), Snapshots(), live),
                live ? wake => { Store().Changed += wake; if (Snapshots() is { } s) s.Changed += wake; } : null,
                live ? wake => { Store().Changed -= wake; if (Snapshots() is { } s) s.Changed -= wake; } : null,
                _settings.RefreshInterval, _settings.MaxBufferSize))
            .WithAttributes(ActorAttributes.CreateDispatcher(_settings.Dispatcher));
    }

    private JournalStore Store() => WalPersistence.Get(_system).Journal(_settings.WritePlugin);

    /// <summary>
    /// The snapshot store whose ids are reported too: the configured one, when it is the system's snapshot store
    /// (so merely using queries never creates a snapshot directory nobody asked for).
    /// </summary>
    private SnapshotCatalog? Snapshots()
    {
        var id = _settings.SnapshotPlugin;
        if (string.IsNullOrEmpty(id)) return null;
        var config = _system.Settings.Config;
        var defaultStore = config.GetString("akka.persistence.snapshot-store.plugin", "");
        if (defaultStore != id && !WalPersistence.Get(_system).HasSnapshots(id)) return null;
        return WalPersistence.Get(_system).Snapshots(id);
    }

    /// <summary>The exclusive ordering an offset names (NoOffset = from the start).</summary>
    private static long OrderingOf(Offset offset) => offset switch
    {
        null or NoOffset => 0,
        Sequence s => s.Value,
        _ => throw new ArgumentException($"{Identifier} supports Sequence offsets and NoOffset, not {offset.GetType().Name}", nameof(offset)),
    };
}

/// <summary>The read journal provider named by `akka.persistence.query.journal.wal.class`.</summary>
public sealed class WalReadJournalProvider(ExtendedActorSystem system, Config config) : IReadJournalProvider
{
    /// <inheritdoc/>
    public IReadJournal GetReadJournal() => new WalReadJournal(system, config);
}
