using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using AkkaWal.Persistence.Configuration;
using AkkaWal.Storage;

namespace AkkaWal.Persistence.Tests;

/// <summary>reference.conf is the one source of defaults, and a bad value fails the plugin's start naming its key.</summary>
public sealed class ConfigurationSpec
{
    private const string JournalId = "akka.persistence.journal.wal";

    private static JournalSettings Journal(string hocon) => JournalSettings.Create(ConfigurationFactory.ParseString(hocon), JournalId);

    [Theory]
    [InlineData("segment-size = -5", "segment-size")]
    [InlineData("segment-size = lots", "segment-size")]
    [InlineData("max-record-size = 0", "max-record-size")]
    [InlineData("max-group-bytes = -1", "max-group-bytes")]
    [InlineData("max-group-bytes = 100", "max-group-bytes")]
    [InlineData("segment-size = 1000", "segment-size")]
    [InlineData("max-queued-bytes = 0", "max-queued-bytes")]
    [InlineData("max-queued-bytes = 100", "max-queued-bytes")]
    [InlineData("durability = sometimes", "durability")]
    [InlineData("recovery-mode = hope-for-the-best", "recovery-mode")]
    [InlineData("verify-sealed-segments-on-open = maybe", "verify-sealed-segments-on-open")]
    [InlineData("fsync-interval = -1s", "fsync-interval")]
    [InlineData("replay-timeout = off", "replay-timeout")]
    [InlineData("compaction.interval = soon", "compaction.interval")]
    [InlineData("compaction.dead-bytes-threshold = -1", "compaction.dead-bytes-threshold")]
    [InlineData("max-record-size = 2MiB\nsegment-size = 1MiB", "max-record-size")]
    public void A_bad_journal_value_names_the_full_key(string hocon, string key)
    {
        using var dir = new TempDirectory();
        var e = Assert.ThrowsAny<ConfigurationException>(() => Journal(hocon + "\ndirectory = \"" + dir.Path + "\""));
        Assert.Contains($"{JournalId}.{key}", e.Message);
    }

    [Fact]
    public void An_uncreatable_directory_names_the_key_and_the_path()
    {
        var file = Path.GetTempFileName();
        var e = Assert.ThrowsAny<ConfigurationException>(() => Journal($"directory = \"{file}/journal\""));
        Assert.Contains($"{JournalId}.directory", e.Message);
        Assert.Contains(file, e.Message);
        File.Delete(file);
    }

    [Fact]
    public void Snapshot_store_and_read_journal_values_are_validated_too()
    {
        var snapshot = Assert.ThrowsAny<ConfigurationException>(() => SnapshotStoreSettings.Create(
            ConfigurationFactory.ParseString("max-load-attempts = 0"), "akka.persistence.snapshot-store.wal"));
        Assert.Contains("akka.persistence.snapshot-store.wal.max-load-attempts", snapshot.Message);
        var query = Assert.ThrowsAny<ConfigurationException>(() => ReadJournalSettings.Create(
            ConfigurationFactory.ParseString("refresh-interval = 0s"), "akka.persistence.query.journal.wal"));
        Assert.Contains("akka.persistence.query.journal.wal.refresh-interval", query.Message);
    }

    [Fact]
    public void Defaults_come_from_the_embedded_reference_conf()
    {
        var reference = WalPersistence.DefaultConfiguration().GetConfig(JournalId);
        using var dir = new TempDirectory();
        var settings = Journal($"directory = \"{dir.Path}\"");
        Assert.Equal(reference.GetByteSize("segment-size"), settings.SegmentSize);
        Assert.Equal(reference.GetByteSize("max-record-size"), settings.MaxRecordSize);
        Assert.Equal(reference.GetTimeSpan("fsync-interval"), settings.FsyncInterval);
        Assert.Equal(DurabilityMode.Always, settings.Durability);
        Assert.Equal(RecoveryMode.TolerateCorruptedTail, settings.RecoveryMode);
        Assert.Equal(reference.GetTimeSpan("compaction.interval"), settings.CompactionInterval);
    }

    [Fact]
    public void The_embedded_file_is_hocon_reference_conf_of_the_repository()
    {
        var repoFile = FindUp("hocon/reference.conf");
        var fromFile = ConfigurationFactory.ParseString(File.ReadAllText(repoFile));
        Assert.Equal(fromFile.ToString(), WalPersistence.DefaultConfiguration().ToString());
    }

    [Fact]
    public async Task A_bad_value_fails_the_journal_start_with_the_key()
    {
        using var dir = new TempDirectory(); // declared first: disposed after the system
        using var system = ActorSystem.Create("badconfig",
            ConfigurationFactory.ParseString("akka.persistence.journal.wal.segment-size = -1").WithFallback(WalSpec.SystemConfig(dir.Path)));
        var e = Assert.ThrowsAny<ConfigurationException>(() => WalPersistence.Get(system).Journal(JournalId));
        Assert.Contains($"{JournalId}.segment-size", e.Message);
        await system.Terminate();
    }

    [Fact]
    public async Task Including_reference_conf_selecting_the_plugin_and_a_directory_gives_a_working_journal()
    {
        using var dir = new TempDirectory(); // declared first: disposed after the system
        var userConfig = ConfigurationFactory.ParseString($"""
            akka.persistence.journal.plugin = "akka.persistence.journal.wal"
            akka.persistence.journal.wal.directory = "{dir.Path}"
            """).WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(FindUp("hocon/reference.conf"))));
        using var system = ActorSystem.Create("minimal", userConfig);
        var actor = system.ActorOf(PersistingActor.Props("minimal-1"));
        Assert.Equal("x-done", await actor.Ask<string>("x", TimeSpan.FromSeconds(10)));
        Assert.NotEmpty(Directory.GetFiles(dir.Path));
        await system.Terminate();
    }

    [Fact]
    public async Task The_extension_alone_injects_the_defaults()
    {
        using var dir = new TempDirectory(); // declared first: disposed after the system
        var userConfig = ConfigurationFactory.ParseString($"""
            akka.extensions = ["AkkaWal.Persistence.WalPersistenceProvider, AkkaWal.Persistence"]
            akka.persistence.journal.plugin = "akka.persistence.journal.wal"
            akka.persistence.journal.wal.directory = "{dir.Path}"
            """);
        using var system = ActorSystem.Create("extension", userConfig);
        var actor = system.ActorOf(PersistingActor.Props("extension-1"));
        Assert.Equal("x-done", await actor.Ask<string>("x", TimeSpan.FromSeconds(10)));
        Assert.Equal("akka.persistence.wal.dispatchers.journal",
            system.Settings.Config.GetString("akka.persistence.journal.wal.plugin-dispatcher"));
        await system.Terminate();
    }

    internal static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>The operations guide lists every key of reference.conf.</summary>
public sealed class ConfigurationDocsSpec
{
    [Fact]
    public void Every_plugin_key_is_documented_in_OPERATIONS_md()
    {
        var docs = File.ReadAllText(ConfigurationSpec.FindUp("docs/OPERATIONS.md"));
        var reference = WalPersistence.DefaultConfiguration();
        foreach (var section in new[] { "akka.persistence.journal.wal", "akka.persistence.snapshot-store.wal", "akka.persistence.query.journal.wal" })
        {
            Assert.Contains($"### `{section}`", docs);
            foreach (var key in LeafKeys(reference.GetConfig(section).Root, ""))
                Assert.Contains($"`{key}`", docs);
        }
    }

    private static IEnumerable<string> LeafKeys(Akka.Configuration.Hocon.HoconValue value, string prefix)
    {
        if (!value.IsObject()) { yield return prefix; yield break; }
        foreach (var (key, child) in value.GetObject().Items)
            foreach (var leaf in LeafKeys(child, prefix.Length == 0 ? key : $"{prefix}.{key}"))
                yield return leaf;
    }
}
