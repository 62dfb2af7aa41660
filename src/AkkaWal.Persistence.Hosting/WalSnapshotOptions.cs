using System.Globalization;
using System.Text;
using Akka.Configuration;
using Akka.Persistence.Hosting;
using Akka.Hosting;
using AkkaWal.Persistence;

namespace AkkaWal.Persistence.Hosting;

/// <summary>The AkkaWal snapshot store (<c>akka.persistence.snapshot-store.{Identifier}</c>), one property per key of
/// reference.conf; null keeps the value from the configuration below.</summary>
public sealed class WalSnapshotOptions(bool isDefaultPlugin, string identifier = "wal") : SnapshotOptions(isDefaultPlugin)
{
    /// <summary>The default snapshot store (<c>wal</c>), made the ActorSystem's default snapshot store.</summary>
    public WalSnapshotOptions() : this(true)
    {
    }

    /// <summary>The plugin's id under <c>akka.persistence</c> (<c>wal</c> by default).</summary>
    public override string Identifier { get; set; } = identifier;

    /// <summary><c>directory</c>: where the snapshot files live (created if missing).</summary>
    public string? Directory { get; set; }

    /// <summary><c>max-load-attempts</c>: how many snapshots (newest first) a load tries when one is damaged.</summary>
    public int? MaxLoadAttempts { get; set; }

    /// <summary>The plugin's section of the embedded reference.conf: every key with its default.</summary>
    protected override Config InternalDefaultConfig =>
        WalPersistence.DefaultConfiguration().GetConfig("akka.persistence.snapshot-store.wal");

    /// <summary>Renders the properties that were set as HOCON keys of the plugin's section.</summary>
    protected override StringBuilder Build(StringBuilder sb)
    {
        if (Directory is not null) sb.Append("directory = ").Append(Directory.ToHocon()).AppendLine();
        if (MaxLoadAttempts is { } attempts) sb.Append("max-load-attempts = ").Append(attempts.ToString(CultureInfo.InvariantCulture)).AppendLine();
        return base.Build(sb);
    }
}
