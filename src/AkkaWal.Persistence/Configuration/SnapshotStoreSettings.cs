using Akka.Configuration;

namespace AkkaWal.Persistence.Configuration;

/// <summary>The validated settings of one snapshot store plugin section (`akka.persistence.snapshot-store.wal` by default).</summary>
public sealed record SnapshotStoreSettings
{
    /// <summary>The section of reference.conf that holds every snapshot store key with its default.</summary>
    public const string ReferenceSection = "akka.persistence.snapshot-store.wal";

    /// <summary>The plugin's HOCON path (its id).</summary>
    public required string PluginId { get; init; }
    /// <summary>The snapshot directory.</summary>
    public required string Directory { get; init; }
    /// <summary>Snapshots tried, newest first, before a load fails.</summary>
    public required int MaxLoadAttempts { get; init; }

    /// <summary>Parses and validates a plugin section and creates its directory; throws one
    /// <see cref="WalConfigurationException"/> naming every bad key.</summary>
    public static SnapshotStoreSettings Create(Config section, string pluginId)
    {
        var (settings, reader) = Read(section, pluginId, createDirectory: true);
        reader.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Every problem of a plugin section (each naming its full key), without side effects.</summary>
    public static IReadOnlyList<string> Check(Config section, string pluginId) =>
        Read(section, pluginId, createDirectory: false).Reader.Problems;

    private static (SnapshotStoreSettings Settings, PluginConfigReader Reader) Read(Config section, string pluginId, bool createDirectory)
    {
        var r = new PluginConfigReader(section, pluginId, PluginConfigReader.PluginReference(ReferenceSection));
        var maxLoadAttempts = r.PositiveInt("max-load-attempts");
        // Last, so a bad value elsewhere does not leave a new empty directory behind.
        var directory = r.Directory("directory", create: createDirectory && r.Problems.Count == 0);
        return (new SnapshotStoreSettings { PluginId = pluginId, MaxLoadAttempts = maxLoadAttempts, Directory = directory }, r);
    }
}
