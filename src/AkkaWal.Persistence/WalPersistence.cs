using Akka.Actor;
using Akka.Configuration;
using AkkaWal.Persistence.Configuration;
using AkkaWal.Persistence.Journal;
using AkkaWal.Persistence.Snapshot;

namespace AkkaWal.Persistence;

/// <summary>
/// The AkkaWal extension: injects the embedded reference.conf as configuration fallback (the Akka way) and owns
/// the in-process stores shared by the journal, the snapshot store and the read journal of each plugin id.
/// </summary>
public sealed class WalPersistence : IExtension
{
    private const string ResourceName = "AkkaWal.Persistence.reference.conf";
    private static readonly Lazy<Config> Defaults = new(LoadDefaults);

    private readonly ExtendedActorSystem _system;
    private readonly Dictionary<string, JournalStore> _journals = new();
    private readonly Dictionary<string, SnapshotCatalog> _snapshots = new();
    private readonly object _gate = new();
    private bool _terminated;

    /// <summary>Created once per actor system by <see cref="Get"/>; adds the plugins' defaults to <paramref name="system"/>'s config.</summary>
    public WalPersistence(ExtendedActorSystem system)
    {
        _system = system;
        system.Settings.InjectTopLevelFallback(DefaultConfiguration());
        system.RegisterOnTermination(CloseAll);
    }

    /// <summary>The embedded reference.conf: every key of the three plugins with its default.</summary>
    public static Config DefaultConfiguration() => Defaults.Value;

    /// <summary>The extension of <paramref name="system"/>.</summary>
    public static WalPersistence Get(ActorSystem system) => system.WithExtension<WalPersistence, WalPersistenceProvider>();

    /// <summary>The journal store of a journal plugin id, opened on first use from that plugin's configuration.</summary>
    internal JournalStore Journal(string pluginId)
    {
        lock (_gate)
        {
            if (_terminated) throw new InvalidOperationException($"actor system terminated; journal [{pluginId}] is closed");
            // A store whose log failed is kept as it is: it refuses writes until the process restarts, because after a
            // failed fsync the page cache may hold data the disk does not, so reopening in this process could read it back.
            if (_journals.TryGetValue(pluginId, out var store) && !store.IsDisposed) return store;
            var settings = JournalSettings.Create(PluginConfig(pluginId), pluginId);
            store = JournalStore.Open(_system, settings);
            _journals[pluginId] = store;
            return store;
        }
    }

    /// <summary>Opens the journal store of a plugin id if it is not open yet, and reports its state. Throws what opening
    /// throws (WalCorruptionException naming file and offset, WalLockedException, ConfigurationException naming the key),
    /// so a host can open the log eagerly at start-up and stop with a clear error.</summary>
    public WalJournalStatus JournalStatus(string pluginId) => Journal(pluginId).Status();

    /// <summary>The snapshot catalog of a snapshot plugin id, opened on first use from that plugin's configuration.</summary>
    internal SnapshotCatalog Snapshots(string pluginId)
    {
        lock (_gate)
        {
            if (_terminated) throw new InvalidOperationException($"actor system terminated; snapshot store [{pluginId}] is closed");
            if (_snapshots.TryGetValue(pluginId, out var catalog)) return catalog;
            var settings = SnapshotStoreSettings.Create(PluginConfig(pluginId), pluginId);
            catalog = SnapshotCatalog.Open(settings);
            _snapshots[pluginId] = catalog;
            return catalog;
        }
    }

    /// <summary>Opens the journal store of a plugin id from given settings (tests inject a faulty file system this way).</summary>
    internal JournalStore OpenJournal(JournalSettings settings)
    {
        lock (_gate)
        {
            if (_journals.ContainsKey(settings.PluginId)) throw new InvalidOperationException($"journal [{settings.PluginId}] is already open");
            var store = JournalStore.Open(_system, settings);
            _journals[settings.PluginId] = store;
            return store;
        }
    }

    internal bool HasSnapshots(string pluginId)
    {
        lock (_gate) return _snapshots.ContainsKey(pluginId);
    }

    /// <summary>Closes a journal store so the next <see cref="Journal"/> reopens it (used when the journal actor stops).</summary>
    internal void CloseJournal(string pluginId)
    {
        lock (_gate)
        {
            if (_journals.Remove(pluginId, out var store)) store.Dispose();
        }
    }

    private Config PluginConfig(string pluginId)
    {
        var config = _system.Settings.Config;
        if (!config.HasPath(pluginId))
            throw new ConfigurationException($"no configuration at [{pluginId}]: not an AkkaWal plugin id");
        return config.GetConfig(pluginId);
    }

    private void CloseAll()
    {
        lock (_gate)
        {
            _terminated = true;
            foreach (var store in _journals.Values) store.Dispose();
            _journals.Clear();
            foreach (var catalog in _snapshots.Values) catalog.Dispose();
            _snapshots.Clear();
        }
    }

    private static Config LoadDefaults()
    {
        using var stream = typeof(WalPersistence).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from {typeof(WalPersistence).Assembly}");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}

/// <summary>Creates the <see cref="WalPersistence"/> extension.</summary>
public sealed class WalPersistenceProvider : ExtensionIdProvider<WalPersistence>
{
    /// <inheritdoc/>
    public override WalPersistence CreateExtension(ExtendedActorSystem system) => new(system);
}
