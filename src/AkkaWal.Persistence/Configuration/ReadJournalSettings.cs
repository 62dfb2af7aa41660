using Akka.Configuration;

namespace AkkaWal.Persistence.Configuration;

/// <summary>The validated settings of one read journal section (`akka.persistence.query.journal.wal` by default).</summary>
public sealed record ReadJournalSettings
{
    /// <summary>The section of reference.conf that holds every read journal key with its default.</summary>
    public const string ReferenceSection = "akka.persistence.query.journal.wal";

    /// <summary>HOCON path of the journal this read journal reads.</summary>
    public required string WritePlugin { get; init; }
    /// <summary>Empty when snapshot-only persistence ids are not reported.</summary>
    public required string SnapshotPlugin { get; init; }
    /// <summary>How often live queries look for new events.</summary>
    public required TimeSpan RefreshInterval { get; init; }
    /// <summary>Events a query buffers at most.</summary>
    public required int MaxBufferSize { get; init; }
    /// <summary>Dispatcher the queries' reads run on.</summary>
    public required string Dispatcher { get; init; }

    /// <summary>Parses and validates a read journal section; throws one <see cref="WalConfigurationException"/>
    /// naming every bad key.</summary>
    public static ReadJournalSettings Create(Config section, string pluginId)
    {
        var (settings, reader) = Read(section, pluginId);
        reader.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Every problem of a read journal section (each naming its full key).</summary>
    public static IReadOnlyList<string> Check(Config section, string pluginId) => Read(section, pluginId).Reader.Problems;

    private static (ReadJournalSettings Settings, PluginConfigReader Reader) Read(Config section, string pluginId)
    {
        var r = new PluginConfigReader(section, pluginId, PluginConfigReader.PluginReference(ReferenceSection));
        return (new ReadJournalSettings
        {
            WritePlugin = r.String("write-plugin"),
            SnapshotPlugin = r.String("snapshot-plugin", allowEmpty: true),
            RefreshInterval = r.PositiveDuration("refresh-interval"),
            MaxBufferSize = r.PositiveInt("max-buffer-size"),
            Dispatcher = r.String("dispatcher"),
        }, r);
    }
}
