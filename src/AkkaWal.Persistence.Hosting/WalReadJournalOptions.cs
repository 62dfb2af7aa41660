using System.Globalization;
using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using AkkaWal.Persistence;

namespace AkkaWal.Persistence.Hosting;

/// <summary>The AkkaWal read journal (<c>akka.persistence.query.journal.{identifier}</c>), one property per key of
/// reference.conf; <c>write-plugin</c> and <c>snapshot-plugin</c> are set to the journal and snapshot store
/// configured in the same <c>WithWalPersistence</c> call.</summary>
public sealed class WalReadJournalOptions
{
    /// <summary><c>refresh-interval</c>: fallback poll of live queries (the journal wakes them after each write).</summary>
    public TimeSpan? RefreshInterval { get; set; }

    /// <summary><c>max-buffer-size</c>: events a query stream reads ahead.</summary>
    public int? MaxBufferSize { get; set; }

    /// <summary>The read journal's section, with the reference defaults moved under its id and the plugin ids set.</summary>
    internal Config ToConfig(string identifier, string writePluginId, string? snapshotPluginId)
    {
        var id = "akka.persistence.query.journal." + identifier;
        var sb = new StringBuilder();
        sb.Append(id).Append(" {\n");
        sb.Append("write-plugin = ").Append(writePluginId.ToHocon()).Append('\n');
        sb.Append("snapshot-plugin = ").Append((string.IsNullOrEmpty(snapshotPluginId) ? "\"\"" : snapshotPluginId.ToHocon())).Append('\n');
        if (RefreshInterval is { } refresh) sb.Append("refresh-interval = ").Append(refresh.ToHocon()).Append('\n');
        if (MaxBufferSize is { } buffer) sb.Append("max-buffer-size = ").Append(buffer.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("}\n");
        var defaults = WalPersistence.DefaultConfiguration().GetConfig("akka.persistence.query.journal.wal");
        return ConfigurationFactory.ParseString(sb.ToString()).WithFallback(defaults.MoveTo(id));
    }
}
