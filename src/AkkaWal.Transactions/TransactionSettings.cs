using Akka.Actor;
using Akka.Configuration;
using AkkaWal.Persistence.Configuration;

namespace AkkaWal.Transactions;

/// <summary>What happens to a transaction that stays prepared and undecided (<c>in-doubt.policy</c>).</summary>
public enum InDoubtPolicy
{
    /// <summary><c>keep</c>: it stays prepared, its keys locked, until a client commits or aborts it.</summary>
    Keep,
    /// <summary><c>abort-after-timeout</c>: it is aborted once <c>in-doubt.timeout</c> has passed since its prepare,
    /// whether it was found at recovery or abandoned while the service runs.</summary>
    AbortAfterTimeout,
}

/// <summary>The <c>akkawal.transactions</c> section, validated. Each parameter is one key; their meaning and defaults
/// are in <see cref="TransactionsConfig.Hocon"/>.</summary>
/// <param name="JournalPluginId"><c>journal-plugin</c>: the journal the partitions persist to.</param>
/// <param name="SnapshotPluginId"><c>snapshot-plugin</c>: the snapshot store compaction writes to.</param>
/// <param name="PersistenceIdPrefix"><c>persistence-id-prefix</c>: partition n persists as prefix + n.</param>
/// <param name="Partitions"><c>partitions</c>: how many partitions the keys are spread over; fixed once data exists.</param>
/// <param name="MaxChangesBytes"><c>max-changes-bytes</c>: the largest prepare (UTF-8 size of its changes as JSON).</param>
/// <param name="InDoubtPolicy"><c>in-doubt.policy</c>.</param>
/// <param name="InDoubtTimeout"><c>in-doubt.timeout</c>: used by <see cref="InDoubtPolicy.AbortAfterTimeout"/>.</param>
/// <param name="CompactionInterval"><c>compaction.interval</c>; <see cref="TimeSpan.Zero"/>: no scheduled compaction.</param>
/// <param name="CompactionMinRecords"><c>compaction.min-records</c>: records since its last snapshot before a partition
/// is compacted on schedule.</param>
/// <param name="DecidedRetentionCount"><c>decided-retention.max-count</c>: decided ids each partition remembers.</param>
/// <param name="DecidedRetentionAge"><c>decided-retention.max-age</c>; null: no age limit.</param>
/// <param name="RecoveryStashLimit"><c>recovery-stash-limit</c>: requests held while the partitions recover.</param>
/// <param name="LocatorCacheSize"><c>locator-cache-size</c>: routes of recent prepares the coordinator remembers.</param>
/// <param name="RedriveInterval"><c>redrive-interval</c>: how long a home waits before asking participants that have not
/// applied its decision again.</param>
/// <param name="InternalAskTimeout"><c>internal-ask-timeout</c>: how long the coordinator waits for a partition within one request.</param>
/// <param name="RedeliveryInterval"><c>redelivery-interval</c>: how long the coordinator waits for a partition's answer
/// before it sends the same request again.</param>
/// <param name="MaxOutstandingRequests"><c>max-outstanding-requests</c>: requests to partitions the coordinator tracks
/// for redelivery at once; more are refused.</param>
/// <param name="CrashAt"><c>test.crash-at</c>: tests only; empty in production.</param>
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
    int DecidedRetentionCount,
    TimeSpan? DecidedRetentionAge,
    int RecoveryStashLimit,
    int LocatorCacheSize,
    TimeSpan RedriveInterval,
    TimeSpan InternalAskTimeout,
    TimeSpan RedeliveryInterval,
    int MaxOutstandingRequests,
    string CrashAt)
{
    /// <summary>The longest tx id, in characters; a longer one is refused (<see cref="Protocol.RejectionReason.InvalidTxId"/>).</summary>
    public const int MaxTxIdLength = 256;


    /// <summary>Reads the section from the system's config (the pipeline's defaults as fallback); throws one
    /// <see cref="WalConfigurationException"/> naming every bad key.</summary>
    public static TransactionSettings Create(ActorSystem system) =>
        Create(system.Settings.Config.WithFallback(TransactionsConfig.Default).GetConfig(SectionPath));

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
        var (askTimeout, redelivery) = ReadAskTimeouts(r);
        return (new TransactionSettings(
            r.String("journal-plugin"),
            r.String("snapshot-plugin"),
            r.String("persistence-id-prefix"),
            (int)r.Long("partitions", 1, 4096),
            (int)r.Long("max-changes-bytes", 2, int.MaxValue),
            r.OneOf("in-doubt.policy", Policies),
            r.PositiveDuration("in-doubt.timeout"),
            r.OptionalDuration("compaction.interval") ?? TimeSpan.Zero,
            r.Long("compaction.min-records", 0, long.MaxValue),
            (int)r.Long("decided-retention.max-count", 1, int.MaxValue),
            r.OptionalDuration("decided-retention.max-age"),
            (int)r.Long("recovery-stash-limit", 0, int.MaxValue),
            (int)r.Long("locator-cache-size", 0, int.MaxValue),
            r.PositiveDuration("redrive-interval"),
            askTimeout,
            redelivery,
            (int)r.Long("max-outstanding-requests", 1, int.MaxValue),
            ReadCrashAt(r)), r);
    }

    /// <summary><c>redelivery-interval</c>, which must be shorter than <c>internal-ask-timeout</c> (both read here, once).</summary>
    private static (TimeSpan AskTimeout, TimeSpan Redelivery) ReadAskTimeouts(PluginConfigReader r)
    {
        var problems = r.Problems.Count;
        var timeout = r.PositiveDuration("internal-ask-timeout");
        var interval = r.PositiveDuration("redelivery-interval");
        if (r.Problems.Count == problems && interval >= timeout)
            r.Problem($"{r.Key("redelivery-interval")} = {interval.TotalMilliseconds} ms is invalid: it must be shorter than " +
                      $"{r.Key("internal-ask-timeout")} ({timeout.TotalMilliseconds} ms), or a request is never sent again before the coordinator gives up");
        return (timeout, interval);
    }

    private static string ReadCrashAt(PluginConfigReader r)
    {
        var crashAt = r.String("test.crash-at", allowEmpty: true);
        if (crashAt is "" || CrashPoint.Known.Contains(crashAt)) return crashAt;
        r.Problem($"{r.Key("test.crash-at")} = \"{crashAt}\" is invalid: expected empty or one of {string.Join(", ", CrashPoint.Known)}");
        return "";
    }

    /// <summary>The persistence id of <paramref name="partition"/>'s journal.</summary>
    public string PersistenceIdOf(int partition) => PersistenceIdPrefix + partition;

    /// <summary>The journal of the one record that fixes the number of partitions.</summary>
    public string LayoutPersistenceId => PersistenceIdPrefix + "layout";
}
