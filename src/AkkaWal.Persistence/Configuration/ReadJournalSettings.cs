using Akka.Configuration;

namespace AkkaWal.Persistence.Configuration;

/// <summary>The validated settings of one read journal section (`akka.persistence.query.journal.wal` by default).</summary>
public sealed record ReadJournalSettings
{
    internal const string ReferenceSection = "akka.persistence.query.journal.wal";

    public required string WritePlugin { get; init; }
    /// <summary>Empty when snapshot-only persistence ids are not reported.</summary>
    public required string SnapshotPlugin { get; init; }
    public required TimeSpan RefreshInterval { get; init; }
    public required int MaxBufferSize { get; init; }
    public required string Dispatcher { get; init; }

    public static ReadJournalSettings Create(Config section, string pluginId)
    {
        var r = new PluginConfigReader(section, pluginId, ReferenceSection);
        return new ReadJournalSettings
        {
            WritePlugin = r.String("write-plugin"),
            SnapshotPlugin = r.String("snapshot-plugin", allowEmpty: true),
            RefreshInterval = r.PositiveDuration("refresh-interval"),
            MaxBufferSize = r.PositiveInt("max-buffer-size"),
            Dispatcher = r.String("dispatcher"),
        };
    }
}
