using System.Text;
using Akka.Configuration;
using AkkaWal.Hosting.Configuration;
using AkkaWal.Transactions;

namespace AkkaWal.Hosting.Transactions;

/// <summary>
/// The <c>akkawal.transactions</c> section as properties, one per HOCON key. A property left null keeps the value
/// of the configuration below (the HOCON file, then the pipeline's defaults).
/// </summary>
public sealed class AkkaWalTransactionsOptions
{
    /// <summary><c>journal-plugin</c>: the journal the partitions persist to.</summary>
    public string? JournalPluginId { get; set; }

    /// <summary><c>snapshot-plugin</c>: the snapshot store compaction writes to.</summary>
    public string? SnapshotPluginId { get; set; }

    /// <summary><c>persistence-id-prefix</c>: partition n persists as prefix + n.</summary>
    public string? PersistenceIdPrefix { get; set; }

    /// <summary><c>partitions</c>: 1..4096; never change it once data exists.</summary>
    public int? Partitions { get; set; }

    /// <summary><c>max-changes-bytes</c>: the largest prepare (UTF-8 size of the changes as JSON).</summary>
    public int? MaxChangesBytes { get; set; }

    /// <summary><c>in-doubt.policy</c>.</summary>
    public InDoubtPolicy? InDoubtPolicy { get; set; }

    /// <summary><c>in-doubt.timeout</c>.</summary>
    public TimeSpan? InDoubtTimeout { get; set; }

    /// <summary><c>compaction.interval</c>; <see cref="TimeSpan.Zero"/> means off.</summary>
    public TimeSpan? CompactionInterval { get; set; }

    /// <summary><c>compaction.min-records</c>.</summary>
    public long? CompactionMinRecords { get; set; }

    /// <summary><c>decided-retention.max-count</c>: how many decided tx ids each partition remembers.</summary>
    public int? DecidedRetentionMaxCount { get; set; }

    /// <summary><c>decided-retention.max-age</c>; <see cref="TimeSpan.Zero"/> means off (no age limit).</summary>
    public TimeSpan? DecidedRetentionMaxAge { get; set; }

    /// <summary><c>recovery-stash-limit</c>: requests held while the partitions recover; more are refused (503).</summary>
    public int? RecoveryStashLimit { get; set; }

    /// <summary>Name of the coordinator actor (not a HOCON key).</summary>
    public string ActorName { get; set; } = "transactions";

    /// <summary>The keys that were set, as HOCON.</summary>
    public Config ToConfig()
    {
        var sb = new StringBuilder("akkawal.transactions {\n");
        void Add(string key, string? value)
        {
            if (value is not null) sb.Append("  ").Append(key).Append(" = ").Append(value).Append('\n');
        }
        Add("journal-plugin", JournalPluginId is null ? null : HoconText.Quote(JournalPluginId));
        Add("snapshot-plugin", SnapshotPluginId is null ? null : HoconText.Quote(SnapshotPluginId));
        Add("persistence-id-prefix", PersistenceIdPrefix is null ? null : HoconText.Quote(PersistenceIdPrefix));
        Add("partitions", Partitions is { } p ? HoconText.Number(p) : null);
        Add("max-changes-bytes", MaxChangesBytes is { } m ? HoconText.Number(m) : null);
        Add("in-doubt.policy", InDoubtPolicy switch
        {
            null => null,
            AkkaWal.Transactions.InDoubtPolicy.Keep => "keep",
            _ => "abort-after-timeout",
        });
        Add("in-doubt.timeout", InDoubtTimeout is { } t ? HoconText.Duration(t) : null);
        Add("compaction.interval", CompactionInterval is { } i ? HoconText.DurationOrOff(i) : null);
        Add("compaction.min-records", CompactionMinRecords is { } r ? HoconText.Number(r) : null);
        Add("decided-retention.max-count", DecidedRetentionMaxCount is { } dc ? HoconText.Number(dc) : null);
        Add("decided-retention.max-age", DecidedRetentionMaxAge is { } da ? HoconText.DurationOrOff(da) : null);
        Add("recovery-stash-limit", RecoveryStashLimit is { } rs ? HoconText.Number(rs) : null);
        sb.Append("}\n");
        return ConfigurationFactory.ParseString(sb.ToString());
    }
}
