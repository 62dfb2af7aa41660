using System.Globalization;
using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using AkkaWal.Transactions;

namespace AkkaWal.Transactions.Hosting;

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

    /// <summary><c>redelivery-interval</c>: how long the coordinator waits for a partition's answer before it sends the
    /// request again; shorter than <c>internal-ask-timeout</c>.</summary>
    public TimeSpan? RedeliveryInterval { get; set; }

    /// <summary><c>max-outstanding-requests</c>: requests to partitions awaiting an answer at once; more are refused (503).</summary>
    public int? MaxOutstandingRequests { get; set; }

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
        Add("journal-plugin", JournalPluginId is null ? null : JournalPluginId.ToHocon());
        Add("snapshot-plugin", SnapshotPluginId is null ? null : SnapshotPluginId.ToHocon());
        Add("persistence-id-prefix", PersistenceIdPrefix is null ? null : PersistenceIdPrefix.ToHocon());
        Add("partitions", Partitions is { } p ? p.ToString(CultureInfo.InvariantCulture) : null);
        Add("max-changes-bytes", MaxChangesBytes is { } m ? m.ToString(CultureInfo.InvariantCulture) : null);
        Add("in-doubt.policy", InDoubtPolicy switch
        {
            null => null,
            AkkaWal.Transactions.InDoubtPolicy.Keep => "keep",
            _ => "abort-after-timeout",
        });
        Add("in-doubt.timeout", InDoubtTimeout is { } t ? t.ToHocon() : null);
        Add("compaction.interval", CompactionInterval is { } i ? (i <= TimeSpan.Zero ? "off" : i.ToHocon()) : null);
        Add("compaction.min-records", CompactionMinRecords is { } r ? r.ToString(CultureInfo.InvariantCulture) : null);
        Add("decided-retention.max-count", DecidedRetentionMaxCount is { } dc ? dc.ToString(CultureInfo.InvariantCulture) : null);
        Add("decided-retention.max-age", DecidedRetentionMaxAge is { } da ? (da <= TimeSpan.Zero ? "off" : da.ToHocon()) : null);
        Add("recovery-stash-limit", RecoveryStashLimit is { } rs ? rs.ToString(CultureInfo.InvariantCulture) : null);
        Add("redelivery-interval", RedeliveryInterval is { } ri ? ri.ToHocon() : null);
        Add("max-outstanding-requests", MaxOutstandingRequests is { } mo ? mo.ToString(CultureInfo.InvariantCulture) : null);
        sb.Append("}\n");
        return ConfigurationFactory.ParseString(sb.ToString());
    }
}
