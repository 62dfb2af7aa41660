using Akka.Configuration;

namespace AkkaWal.Persistence.Configuration;

/// <summary>The validated settings of one snapshot store plugin section (`akka.persistence.snapshot-store.wal` by default).</summary>
public sealed record SnapshotStoreSettings
{
    internal const string ReferenceSection = "akka.persistence.snapshot-store.wal";

    public required string PluginId { get; init; }
    public required string Directory { get; init; }
    public required int MaxLoadAttempts { get; init; }

    public static SnapshotStoreSettings Create(Config section, string pluginId)
    {
        var r = new PluginConfigReader(section, pluginId, ReferenceSection);
        var maxLoadAttempts = r.PositiveInt("max-load-attempts");
        return new SnapshotStoreSettings { PluginId = pluginId, MaxLoadAttempts = maxLoadAttempts, Directory = r.Directory("directory") };
    }
}
