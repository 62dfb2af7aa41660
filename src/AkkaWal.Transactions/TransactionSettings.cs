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
    long CompactionMinRecords,
    int DecidedRetentionCount = 1_000_000,
    TimeSpan? DecidedRetentionAge = null,
    int RecoveryStashLimit = 10_000,
    int LocatorCacheSize = 200_000,
    TimeSpan? RedriveIntervalOrNull = null,
    TimeSpan? InternalAskTimeoutOrNull = null,
    string CrashAt = "")
{
    public const int MaxTxIdLength = 256;
    public const string Section = "akkawal.transactions";

    public TimeSpan RedriveInterval => RedriveIntervalOrNull ?? TimeSpan.FromSeconds(2);
    public TimeSpan InternalAskTimeout => InternalAskTimeoutOrNull ?? TimeSpan.FromSeconds(60);

    public static TransactionSettings Create(ActorSystem system) =>
        Create(system.Settings.Config.WithFallback(TransactionsConfig.Default).GetConfig(Section));

    /// <summary>Reads and checks every key; a bad configuration fails naming every bad key at once.</summary>
    public static TransactionSettings Create(Config section)
    {
        var errors = new List<string>();
        T Read<T>(string key, Func<string, T> read, Func<T, string?> check, T fallback)
        {
            try
            {
                var value = read(key);
                if (check(value) is { } problem)
                    errors.Add($"{Section}.{key} {problem}");
                return value;
            }
            catch (Exception e) when (e is FormatException or ConfigurationException or OverflowException or InvalidCastException or NullReferenceException)
            {
                errors.Add($"{Section}.{key} is not valid: {e.Message}");
                return fallback;
            }
        }
        static string? Positive(TimeSpan t) => t > TimeSpan.Zero ? null : $"must be positive, was {t}";

        var partitions = Read("partitions", k => section.GetInt(k), p => p is >= 1 and <= 4096 ? null : $"must be 1..4096, was {p}", 1);
        var maxChanges = Read("max-changes-bytes", k => section.GetInt(k), m => m >= 2 ? null : $"must be at least 2, was {m}", 2);
        var policy = Read("in-doubt.policy", k => section.GetString(k) switch
        {
            "keep" => InDoubtPolicy.Keep,
            "abort-after-timeout" => InDoubtPolicy.AbortAfterTimeout,
            var other => throw new FormatException($"must be keep or abort-after-timeout, was '{other}'"),
        }, _ => null, InDoubtPolicy.Keep);
        var timeout = Read("in-doubt.timeout", k => section.GetTimeSpan(k), Positive, TimeSpan.FromMinutes(5));
        var interval = Read("compaction.interval", k => section.GetString(k) is "off" ? TimeSpan.Zero : section.GetTimeSpan(k),
            i => i >= TimeSpan.Zero ? null : $"must be off or positive, was {i}", TimeSpan.Zero);
        var minRecords = Read("compaction.min-records", k => section.GetLong(k), m => m >= 1 ? null : $"must be at least 1, was {m}", 1L);
        var retentionCount = Read("decided-retention.max-count", k => section.GetInt(k), c => c >= 1 ? null : $"must be at least 1, was {c}", 1);
        var retentionAge = Read("decided-retention.max-age", k => section.GetString(k) is "off" ? (TimeSpan?)null : section.GetTimeSpan(k),
            a => a is null || a > TimeSpan.Zero ? null : $"must be off or positive, was {a}", null);
        var stash = Read("recovery-stash-limit", k => section.GetInt(k), s => s >= 0 ? null : $"must be 0 or more, was {s}", 0);
        var locator = Read("locator-cache-size", k => section.GetInt(k), s => s >= 0 ? null : $"must be 0 or more, was {s}", 0);
        var redrive = Read("redrive-interval", k => section.GetTimeSpan(k), Positive, TimeSpan.FromSeconds(2));
        var askTimeout = Read("internal-ask-timeout", k => section.GetTimeSpan(k), Positive, TimeSpan.FromSeconds(60));
        var crashAt = Read("test.crash-at", k => section.GetString(k) ?? "",
            c => c is "" || CrashPoint.Known.Contains(c) ? null : $"must be empty or one of {string.Join(", ", CrashPoint.Known)}, was '{c}'", "");
        if (errors.Count > 0)
            throw new ConfigurationException("bad transactions configuration: " + string.Join("; ", errors));
        return new TransactionSettings(
            section.GetString("journal-plugin"),
            section.GetString("snapshot-plugin"),
            section.GetString("persistence-id-prefix"),
            partitions, maxChanges, policy, timeout, interval, minRecords,
            retentionCount, retentionAge, stash, locator, redrive, askTimeout, crashAt);
    }

    public string PersistenceIdOf(int partition) => PersistenceIdPrefix + partition;

    /// <summary>The journal of the one record that fixes the number of partitions.</summary>
    public string LayoutPersistenceId => PersistenceIdPrefix + "layout";
}
