using Akka.Actor;
using Akka.Persistence.Hosting;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaWal.Persistence.Hosting;
using AkkaWal.Persistence.Configuration;
using AkkaWal.Persistence.Query;
using AkkaWal.Storage;

namespace AkkaWal.Hosting.Tests;

public sealed class WalPersistenceHostingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Tags every string it writes with "note", so the read journal's tag query can find them.</summary>
    public sealed class NoteTagger : IWriteEventAdapter
    {
        public string Manifest(object evt) => "";
        public object ToJournal(object evt) => new Tagged(evt, ["note"]);
    }

    [Fact]
    public async Task One_call_gives_a_default_journal_and_snapshot_store_that_keep_events_across_a_host_restart()
    {
        using var data = new TempDirectory();
        await using (var host = await AkkaHost.StartAsync(b => b.WithWalPersistence(data.Path)))
        {
            var notebook = host.System.ActorOf(Notebook.Props("nb-1"));
            await notebook.Ask<string[]>(new Notebook.Write("one"), Timeout);
            await notebook.Ask<string[]>(new Notebook.Write("two"), Timeout);
            var config = host.System.Settings.Config;
            Assert.Equal("akka.persistence.journal.wal", config.GetString("akka.persistence.journal.plugin"));
            Assert.Equal("akka.persistence.snapshot-store.wal", config.GetString("akka.persistence.snapshot-store.plugin"));
            Assert.Equal(Path.Combine(data.Path, "journal"), config.GetString("akka.persistence.journal.wal.directory"));
            Assert.Equal(Path.Combine(data.Path, "snapshots"), config.GetString("akka.persistence.snapshot-store.wal.directory"));
        }
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(data.Path, "journal"), "*.wal"));

        await using (var host = await AkkaHost.StartAsync(b => b.WithWalPersistence(data.Path)))
        {
            var notebook = host.System.ActorOf(Notebook.Props("nb-1"));
            Assert.Equal(["one", "two"], await notebook.Ask<string[]>(new Notebook.Read(), Timeout));
        }
    }

    [Fact]
    public async Task Event_adapters_go_through_the_journal_builder_and_the_read_journal_reads_that_journal()
    {
        using var data = new TempDirectory();
        await using var host = await AkkaHost.StartAsync(b => b.WithWalPersistence(data.Path,
            journalBuilder: journal => journal.AddWriteEventAdapter<NoteTagger>("tagger", [typeof(string)])));
        var notebook = host.System.ActorOf(Notebook.Props("nb-tags"));
        await notebook.Ask<string[]>(new Notebook.Write("a"), Timeout);
        await notebook.Ask<string[]>(new Notebook.Write("b"), Timeout);

        var readJournal = PersistenceQuery.Get(host.System).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);
        var events = await readJournal.CurrentEventsByTag("note", Offset.NoOffset())
            .RunWith(Sink.Seq<EventEnvelope>(), host.System.Materializer());

        Assert.Equal(["a", "b"], events.Select(e => (string)e.Event));
    }

    [Fact]
    public async Task A_custom_identifier_gets_the_reference_defaults_under_its_own_ids()
    {
        using var data = new TempDirectory();
        await using var host = await AkkaHost.StartAsync(b => b.WithWalPersistence(data.Path, pluginIdentifier: "orders", isDefaultPlugin: false));
        var config = host.System.Settings.Config;

        Assert.Equal("AkkaWal.Persistence.Journal.WalJournal, AkkaWal.Persistence", config.GetString("akka.persistence.journal.orders.class"));
        Assert.Equal("64MiB", config.GetString("akka.persistence.journal.orders.segment-size"));
        Assert.Equal("AkkaWal.Persistence.Snapshot.WalSnapshotStore, AkkaWal.Persistence", config.GetString("akka.persistence.snapshot-store.orders.class"));
        Assert.Equal("akka.persistence.journal.orders", config.GetString("akka.persistence.query.journal.orders.write-plugin"));
        Assert.Equal("akka.persistence.snapshot-store.orders", config.GetString("akka.persistence.query.journal.orders.snapshot-plugin"));
        Assert.NotEqual("akka.persistence.journal.orders", config.GetString("akka.persistence.journal.plugin", ""));
    }

    [Fact]
    public void Every_journal_option_maps_to_its_key_and_the_plugin_reads_it_back()
    {
        using var data = new TempDirectory();
        var options = new WalJournalOptions(isDefaultPlugin: true)
        {
            Directory = Path.Combine(data.Path, "j"),
            SegmentSize = 16L * 1024 * 1024,
            Durability = DurabilityMode.Interval,
            FsyncInterval = TimeSpan.FromMilliseconds(25),
            MaxGroupBytes = 2 * 1024 * 1024,
            MaxRecordSize = 4 * 1024 * 1024,
            MaxQueuedBytes = 32L * 1024 * 1024,
            RecoveryMode = RecoveryMode.AbsoluteConsistency,
            ReplayTimeout = TimeSpan.FromMinutes(2),
            CompactionInterval = TimeSpan.Zero,
            CompactionDeadBytesThreshold = 1234,
            IndexCheckpoints = false,
            IndexCheckpointEvery = 4321,
        };
        var config = options.ToConfig().WithFallback(options.DefaultConfig);

        var settings = JournalSettings.Create(config.GetConfig(options.PluginId), options.PluginId);

        Assert.Equal(options.Directory, settings.Directory);
        Assert.Equal(options.SegmentSize, settings.SegmentSize);
        Assert.Equal(DurabilityMode.Interval, settings.Durability);
        Assert.Equal(options.FsyncInterval, settings.FsyncInterval);
        Assert.Equal(options.MaxGroupBytes, settings.MaxGroupBytes);
        Assert.Equal(options.MaxRecordSize, settings.MaxRecordSize);
        Assert.Equal(options.MaxQueuedBytes, settings.MaxQueuedBytes);
        Assert.Equal(RecoveryMode.AbsoluteConsistency, settings.RecoveryMode);
        Assert.Equal(options.ReplayTimeout, settings.ReplayTimeout);
        Assert.Null(settings.CompactionInterval);
        Assert.Equal(1234, settings.CompactionDeadBytesThreshold);
        Assert.False(settings.IndexCheckpoints);
        Assert.Equal(4321, settings.IndexCheckpointEvery);
        Assert.Equal(options.PluginId, config.GetString("akka.persistence.journal.plugin"));
    }

    [Fact]
    public void Every_snapshot_option_maps_to_its_key_and_the_plugin_reads_it_back()
    {
        using var data = new TempDirectory();
        var options = new WalSnapshotOptions(isDefaultPlugin: false) { Directory = Path.Combine(data.Path, "s"), MaxLoadAttempts = 7 };
        var config = options.ToConfig().WithFallback(options.DefaultConfig);

        var settings = SnapshotStoreSettings.Create(config.GetConfig(options.PluginId), options.PluginId);

        Assert.Equal(options.Directory, settings.Directory);
        Assert.Equal(7, settings.MaxLoadAttempts);
        Assert.False(config.HasPath("akka.persistence.snapshot-store.plugin"));
    }

    [Fact]
    public async Task Unset_options_keep_the_reference_defaults()
    {
        using var data = new TempDirectory();
        await using var host = await AkkaHost.StartAsync(b => b.WithWalPersistence(j => j.Directory = Path.Combine(data.Path, "j"), s => s.Directory = Path.Combine(data.Path, "s")));
        var config = host.System.Settings.Config;

        Assert.Equal("always", config.GetString("akka.persistence.journal.wal.durability"));
        Assert.Equal("tolerate-corrupted-tail", config.GetString("akka.persistence.journal.wal.recovery-mode"));
        Assert.Equal(3, config.GetInt("akka.persistence.snapshot-store.wal.max-load-attempts"));
    }
}
