using System.Globalization;
using System.Text;
using Akka.Configuration;
using Akka.Persistence.Hosting;
using Akka.Hosting;
using AkkaWal.Persistence;
using AkkaWal.Storage;

namespace AkkaWal.Persistence.Hosting;

/// <summary>
/// The AkkaWal journal (<c>akka.persistence.journal.{Identifier}</c>) as properties, one per key of reference.conf.
/// A property left null keeps the value from the configuration below it (reference.conf's default unless a HOCON file
/// sets it). Event adapters go through <see cref="JournalOptions.Adapters"/> (the journal builder).
/// </summary>
public sealed class WalJournalOptions(bool isDefaultPlugin, string identifier = "wal") : JournalOptions(isDefaultPlugin)
{
    /// <summary>The default journal (<c>wal</c>), made the ActorSystem's default journal.</summary>
    public WalJournalOptions() : this(true)
    {
    }

    /// <summary>The plugin's id under <c>akka.persistence</c> (<c>wal</c> by default).</summary>
    public override string Identifier { get; set; } = identifier;

    /// <summary><c>directory</c>: where the segment files live (created if missing; locked by one journal at a time).</summary>
    public string? Directory { get; set; }

    /// <summary><c>segment-size</c> in bytes.</summary>
    public long? SegmentSize { get; set; }

    /// <summary><c>durability</c>: Always, Interval or None.</summary>
    public DurabilityMode? Durability { get; set; }

    /// <summary><c>fsync-interval</c> (with <see cref="DurabilityMode.Interval"/>).</summary>
    public TimeSpan? FsyncInterval { get; set; }

    /// <summary><c>max-group-bytes</c>: cap of one group-commit write.</summary>
    public long? MaxGroupBytes { get; set; }

    /// <summary><c>max-record-size</c>: larger events are rejected.</summary>
    public long? MaxRecordSize { get; set; }

    /// <summary><c>max-queued-bytes</c>: bound of the appends waiting for the engine's writer (backpressure).</summary>
    public long? MaxQueuedBytes { get; set; }

    /// <summary><c>recovery-mode</c>.</summary>
    public RecoveryMode? RecoveryMode { get; set; }

    /// <summary><c>verify-sealed-segments-on-open</c>: open reads every sealed segment's records instead of trusting its seal.</summary>
    public bool? VerifySealedSegmentsOnOpen { get; set; }

    /// <summary><c>replay-timeout</c>.</summary>
    public TimeSpan? ReplayTimeout { get; set; }

    /// <summary><c>compaction.interval</c>; <see cref="TimeSpan.Zero"/> means off.</summary>
    public TimeSpan? CompactionInterval { get; set; }

    /// <summary><c>compaction.dead-bytes-threshold</c> in bytes.</summary>
    public long? CompactionDeadBytesThreshold { get; set; }

    /// <summary><c>index-checkpoint.enabled</c>: checkpoint the index so open reads only the log written after it.</summary>
    public bool? IndexCheckpoints { get; set; }

    /// <summary><c>index-checkpoint.every</c> in bytes: log growth after which the next checkpoint is written.</summary>
    public long? IndexCheckpointEvery { get; set; }

    /// <summary>The plugin's section of the embedded reference.conf: every key with its default.</summary>
    protected override Config InternalDefaultConfig =>
        WalPersistence.DefaultConfiguration().GetConfig("akka.persistence.journal.wal");

    /// <summary>Renders the properties that were set as HOCON keys of the plugin's section.</summary>
    protected override StringBuilder Build(StringBuilder sb)
    {
        Key(sb, "directory", Directory is null ? null : Directory.ToHocon());
        Key(sb, "segment-size", SegmentSize is { } s ? s.ToString(CultureInfo.InvariantCulture) : null);
        Key(sb, "durability", Durability switch
        {
            null => null,
            DurabilityMode.Always => "always",
            DurabilityMode.Interval => "interval",
            _ => "none",
        });
        Key(sb, "fsync-interval", FsyncInterval is { } f ? f.ToHocon() : null);
        Key(sb, "max-group-bytes", MaxGroupBytes is { } g ? g.ToString(CultureInfo.InvariantCulture) : null);
        Key(sb, "max-record-size", MaxRecordSize is { } r ? r.ToString(CultureInfo.InvariantCulture) : null);
        Key(sb, "max-queued-bytes", MaxQueuedBytes is { } q ? q.ToString(CultureInfo.InvariantCulture) : null);
        Key(sb, "recovery-mode", RecoveryMode is { } m ? WalHocon.RecoveryModeName(m) : null);
        Key(sb, "verify-sealed-segments-on-open", VerifySealedSegmentsOnOpen is { } v ? (v ? "on" : "off") : null);
        Key(sb, "replay-timeout", ReplayTimeout is { } t ? t.ToHocon() : null);
        Key(sb, "compaction.interval", CompactionInterval is { } i ? (i <= TimeSpan.Zero ? "off" : i.ToHocon()) : null);
        Key(sb, "compaction.dead-bytes-threshold", CompactionDeadBytesThreshold is { } d ? d.ToString(CultureInfo.InvariantCulture) : null);
        Key(sb, "index-checkpoint.enabled", IndexCheckpoints is { } c ? (c ? "on" : "off") : null);
        Key(sb, "index-checkpoint.every", IndexCheckpointEvery is { } e ? e.ToString(CultureInfo.InvariantCulture) : null);
        return base.Build(sb);
    }

    private static void Key(StringBuilder sb, string key, string? value)
    {
        if (value is not null) sb.Append(key).Append(" = ").Append(value).AppendLine();
    }
}
