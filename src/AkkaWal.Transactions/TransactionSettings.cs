using Akka.Actor;
using Akka.Configuration;
using AkkaWal.Persistence.Configuration;

namespace AkkaWal.Transactions;

public enum InDoubtPolicy { Keep, AbortAfterTimeout }

/// <summary>The <c>akkawal.transactions</c> section, validated.</summary>
public sealed record TransactionSettings(
    string JournalPluginId,
    string SnapshotPluginId,
    string PersistenceIdPrefix,
    int Partitions,
    int MaxChangesBytes,
    InDoubtPolicy InDoubtPolicy,
    TimeSpan InDoubtTimeout,
    TimeSpan CompactionInterval,
    long CompactionMinRecords)
{
    public const int MaxTxIdLength = 256;

    public static TransactionSettings Create(ActorSystem system) =>
        Create(system.Settings.Config.WithFallback(TransactionsConfig.Default).GetConfig("akkawal.transactions"));

    /// <summary>The section's path, used to name keys in problems.</summary>
    public const string SectionPath = "akkawal.transactions";

    private static readonly Dictionary<string, InDoubtPolicy> Policies = new()
    {
        ["keep"] = InDoubtPolicy.Keep, ["abort-after-timeout"] = InDoubtPolicy.AbortAfterTimeout,
    };

    /// <summary>Parses and validates the section (the pipeline's defaults as fallback); throws one
    /// <see cref="WalConfigurationException"/> naming every bad key.</summary>
    public static TransactionSettings Create(Config section)
    {
        var (settings, reader) = Read(section);
        reader.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Every problem of the section (each naming its full key), without side effects.</summary>
    public static IReadOnlyList<string> Check(Config section) => Read(section).Reader.Problems;

    private static (TransactionSettings Settings, PluginConfigReader Reader) Read(Config section)
    {
        var r = new PluginConfigReader(section, SectionPath, TransactionsConfig.Default.GetConfig(SectionPath));
        return (new TransactionSettings(
            r.String("journal-plugin"),
            r.String("snapshot-plugin"),
            r.String("persistence-id-prefix"),
            (int)r.Long("partitions", 1, 4096),
            (int)r.Long("max-changes-bytes", 2, int.MaxValue),
            r.OneOf("in-doubt.policy", Policies),
            r.PositiveDuration("in-doubt.timeout"),
            r.OptionalDuration("compaction.interval") ?? TimeSpan.Zero,
            r.Long("compaction.min-records", 0, long.MaxValue)), r);
    }

    public string PersistenceIdOf(int partition) => PersistenceIdPrefix + partition;
}
