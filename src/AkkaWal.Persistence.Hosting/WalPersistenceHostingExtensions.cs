using Akka.Hosting;
using Akka.Persistence.Hosting;
using AkkaWal.Persistence;

namespace AkkaWal.Persistence.Hosting;

/// <summary>Akka.Hosting extensions for the AkkaWal journal, snapshot store and read journal, in the manner of
/// Akka.Persistence.Sql.Hosting's <c>WithSqlPersistence</c>.</summary>
public static class WalPersistenceHostingExtensions
{
    /// <summary>
    /// Adds the AkkaWal journal, snapshot store and read journal in one call: the journal in
    /// <paramref name="directory"/>/journal, the snapshots in <paramref name="directory"/>/snapshots, the read journal at
    /// <c>akka.persistence.query.journal.{pluginIdentifier}</c>.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="directory">Root data directory; null keeps the directories of the configuration (reference.conf: akkawal-data/...).</param>
    /// <param name="mode">Journal, snapshot store, or both.</param>
    /// <param name="journalBuilder">Event adapters (and health checks) of the journal.</param>
    /// <param name="pluginIdentifier">The plugins' id: akka.persistence.journal.{id}, akka.persistence.snapshot-store.{id}.</param>
    /// <param name="isDefaultPlugin">Make them the ActorSystem's default journal and snapshot store.</param>
    /// <param name="snapshotBuilder">Health checks of the snapshot store.</param>
    public static AkkaConfigurationBuilder WithWalPersistence(this AkkaConfigurationBuilder builder,
        string? directory = null,
        PersistenceMode mode = PersistenceMode.Both,
        Action<AkkaPersistenceJournalBuilder>? journalBuilder = null,
        string pluginIdentifier = "wal",
        bool isDefaultPlugin = true,
        Action<AkkaPersistenceSnapshotBuilder>? snapshotBuilder = null)
    {
        if (mode == PersistenceMode.Journal && snapshotBuilder is not null)
            throw new ArgumentException($"{nameof(snapshotBuilder)} needs a snapshot store: {nameof(mode)} must be {PersistenceMode.Both} or {PersistenceMode.SnapshotStore}", nameof(snapshotBuilder));
        if (mode == PersistenceMode.SnapshotStore && journalBuilder is not null)
            throw new ArgumentException($"{nameof(journalBuilder)} needs a journal: {nameof(mode)} must be {PersistenceMode.Both} or {PersistenceMode.Journal}", nameof(journalBuilder));
        var journal = mode == PersistenceMode.SnapshotStore ? null : new WalJournalOptions(isDefaultPlugin, pluginIdentifier)
        {
            Directory = directory is null ? null : WalDataDirectory.Journal(directory),
        };
        var snapshots = mode == PersistenceMode.Journal ? null : new WalSnapshotOptions(isDefaultPlugin, pluginIdentifier)
        {
            Directory = directory is null ? null : WalDataDirectory.Snapshots(directory),
        };
        return builder.WithWalPersistence(journal, snapshots, new WalReadJournalOptions(), journalBuilder, snapshotBuilder);
    }

    /// <summary>Adds the AkkaWal plugins configured through their options classes (at least one of journal and snapshots).</summary>
    public static AkkaConfigurationBuilder WithWalPersistence(this AkkaConfigurationBuilder builder,
        Action<WalJournalOptions>? configureJournal,
        Action<WalSnapshotOptions>? configureSnapshots,
        Action<WalReadJournalOptions>? configureQuery = null,
        Action<AkkaPersistenceJournalBuilder>? journalBuilder = null,
        bool isDefaultPlugin = true,
        Action<AkkaPersistenceSnapshotBuilder>? snapshotBuilder = null)
    {
        WalJournalOptions? journal = null;
        if (configureJournal is not null)
        {
            journal = new WalJournalOptions(isDefaultPlugin);
            configureJournal(journal);
        }
        WalSnapshotOptions? snapshots = null;
        if (configureSnapshots is not null)
        {
            snapshots = new WalSnapshotOptions(isDefaultPlugin);
            configureSnapshots(snapshots);
        }
        var query = new WalReadJournalOptions();
        configureQuery?.Invoke(query);
        return builder.WithWalPersistence(journal, snapshots, query, journalBuilder, snapshotBuilder);
    }

    /// <summary>Adds the AkkaWal plugins from options instances (at least one of journal and snapshots). Event adapters and
    /// the journal's health check (<see cref="WalHealthCheckExtensions.WithWalHealthCheck"/>) are added through
    /// <paramref name="journalBuilder"/>, the snapshot store's health check through <paramref name="snapshotBuilder"/>.</summary>
    public static AkkaConfigurationBuilder WithWalPersistence(this AkkaConfigurationBuilder builder,
        WalJournalOptions? journal,
        WalSnapshotOptions? snapshots,
        WalReadJournalOptions? query = null,
        Action<AkkaPersistenceJournalBuilder>? journalBuilder = null,
        Action<AkkaPersistenceSnapshotBuilder>? snapshotBuilder = null)
    {
        if (journal is null && snapshots is null)
            throw new ArgumentException($"{nameof(journal)} and {nameof(snapshots)} cannot both be null");
        // The whole reference.conf as fallback: the plugin dispatchers must exist before the plugins start.
        builder.AddHocon(WalPersistence.DefaultConfiguration(), HoconAddMode.Append);
        if (journal is not null)
        {
            // Akka.Persistence.Hosting renders the options (adapters included) and appends the moved defaults.
            builder.WithJournal(journal, journalBuilder ?? (_ => { }));
            builder.AddHocon((query ?? new WalReadJournalOptions()).ToConfig(journal.Identifier, journal.PluginId, snapshots?.PluginId),
                HoconAddMode.Prepend);
        }
        if (snapshots is not null)
        {
            builder.WithSnapshot(snapshots, snapshotBuilder ?? (_ => { }));
        }
        return builder;
    }
}
