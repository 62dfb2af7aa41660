using Akka.Actor;
using Akka.Configuration;

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

    public static TransactionSettings Create(Config section)
    {
        var partitions = section.GetInt("partitions");
        if (partitions < 1 || partitions > 4096)
            throw new ConfigurationException($"akkawal.transactions.partitions must be 1..4096, was {partitions}");
        var maxChanges = section.GetInt("max-changes-bytes");
        if (maxChanges < 2)
            throw new ConfigurationException($"akkawal.transactions.max-changes-bytes must be at least 2, was {maxChanges}");
        var policy = section.GetString("in-doubt.policy") switch
        {
            "keep" => InDoubtPolicy.Keep,
            "abort-after-timeout" => InDoubtPolicy.AbortAfterTimeout,
            var other => throw new ConfigurationException(
                $"akkawal.transactions.in-doubt.policy must be keep or abort-after-timeout, was '{other}'"),
        };
        var interval = section.GetString("compaction.interval") is "off" ? TimeSpan.Zero : section.GetTimeSpan("compaction.interval");
        return new TransactionSettings(
            section.GetString("journal-plugin"),
            section.GetString("snapshot-plugin"),
            section.GetString("persistence-id-prefix"),
            partitions,
            maxChanges,
            policy,
            section.GetTimeSpan("in-doubt.timeout"),
            interval,
            section.GetLong("compaction.min-records"));
    }

    public string PersistenceIdOf(int partition) => PersistenceIdPrefix + partition;
}
