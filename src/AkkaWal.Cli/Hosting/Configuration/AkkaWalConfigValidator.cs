using Akka.Configuration;
using static AkkaWal.Cli.Hosting.Configuration.ConfigRules;

namespace AkkaWal.Cli.Hosting.Configuration;

/// <summary>
/// Checks a whole configuration before the ActorSystem starts, so a bad value stops start-up with every problem listed,
/// each naming its full key, the value found and what is allowed, instead of surfacing later as a failed journal.
/// Every AkkaWal journal, snapshot store and read journal section (found by its class) is checked, plus
/// <c>akkawal.transactions</c>, <c>akkawal.host</c> and <c>akkawal.postgres</c>; inside those sections an unknown key (a typo) is an error too.
/// </summary>
public static class AkkaWalConfigValidator
{
    public const string JournalClass = "AkkaWal.Persistence.Journal.WalJournal, AkkaWal.Persistence";
    public const string SnapshotStoreClass = "AkkaWal.Persistence.Snapshot.WalSnapshotStore, AkkaWal.Persistence";
    public const string ReadJournalClass = "AkkaWal.Persistence.Query.WalReadJournalProvider, AkkaWal.Persistence";

    // Keys every Akka.Persistence plugin section may carry (Akka's plugin fallback, Akka.Hosting's options and adapters).
    private static readonly string[] GenericPluginKeys =
    [
        "class", "plugin-dispatcher", "replay-dispatcher", "event-adapters", "event-adapter-bindings", "auto-initialize",
        "serializer", "circuit-breaker", "replay-filter", "recovery-event-timeout", "call-timeout",
    ];

    private static readonly ConfigRule[] JournalRules =
    [
        NonEmptyString("directory", "a directory path (created if missing)"),
        PositiveByteSize("segment-size"),
        OneOf("durability", "always", "interval", "none"),
        PositiveDuration("fsync-interval"),
        PositiveByteSize("max-group-bytes", int.MaxValue),
        PositiveByteSize("max-record-size", int.MaxValue),
        PositiveByteSize("max-queued-bytes"),
        OneOf("recovery-mode", "tolerate-corrupted-tail", "absolute-consistency", "point-in-time", "skip-corrupted"),
        PositiveDuration("replay-timeout"),
        DurationOrOff("compaction.interval"),
        NonNegativeByteSize("compaction.dead-bytes-threshold"),
        OneOf("index-checkpoint.enabled", "on", "off", "true", "false", "yes", "no"),
        PositiveByteSize("index-checkpoint.every"),
    ];

    private static readonly ConfigRule[] SnapshotRules =
    [
        NonEmptyString("directory", "a directory path (created if missing)"),
        IntRange("max-load-attempts", 1, int.MaxValue),
    ];

    private static readonly ConfigRule[] ReadJournalRules =
    [
        NonEmptyString("write-plugin", "the id of an AkkaWal journal, such as akka.persistence.journal.wal"),
        AnyString("snapshot-plugin"),
        PositiveDuration("refresh-interval"),
        IntRange("max-buffer-size", 1, int.MaxValue),
        AnyString("dispatcher"),
    ];

    private static readonly ConfigRule[] TransactionRules =
    [
        NonEmptyString("journal-plugin", "the id of a configured journal, such as akka.persistence.journal.wal"),
        NonEmptyString("snapshot-plugin", "the id of a configured snapshot store, such as akka.persistence.snapshot-store.wal"),
        NonEmptyString("persistence-id-prefix", "a non-empty prefix"),
        IntRange("partitions", 1, 4096),
        IntRange("max-changes-bytes", 2, int.MaxValue),
        OneOf("in-doubt.policy", "keep", "abort-after-timeout"),
        PositiveDuration("in-doubt.timeout"),
        DurationOrOff("compaction.interval"),
        LongAtLeast("compaction.min-records", 0),
    ];

    // Cluster mode on PostgreSQL (hocon/examples/cluster-postgres.conf); emptiness is checked where it matters, on the plugins.
    private static readonly ConfigRule[] PostgresRules = [AnyString("connection-string")];

    private static readonly ConfigRule[] HostRules =
    [
        PositiveDuration("slow-fsync-threshold"),
        NonNegativeByteSize("min-free-disk-space"),
        PositiveDuration("request-timeout"),
        PositiveDuration("shutdown-timeout"),
        Token("admin-token"),
        Token("api-token"),
        StringList("allowed-hosts"),
        IntRange("max-concurrent-requests", 1, int.MaxValue),
        IntRange("request-queue-limit", 0, int.MaxValue),
        PositiveDuration("http-request-timeout"),
    ];

    /// <summary>Throws <see cref="AkkaWalConfigException"/> listing every problem; returns quietly when there is none.</summary>
    public static void Validate(Config config)
    {
        var problems = Check(config);
        if (problems.Count > 0)
            throw new AkkaWalConfigException(problems);
    }

    /// <summary>Every problem found, each naming its full key, the value and what is allowed; empty when the config is usable.</summary>
    public static IReadOnlyList<string> Check(Config config)
    {
        var problems = new List<string>();
        foreach (var journal in PluginSections(config, "akka.persistence.journal", JournalClass))
        {
            CheckSection(config, journal, JournalRules, GenericPluginKeys, problems);
            CheckRecordFitsSegment(config, journal, problems);
        }
        foreach (var store in PluginSections(config, "akka.persistence.snapshot-store", SnapshotStoreClass))
            CheckSection(config, store, SnapshotRules, GenericPluginKeys, problems);
        foreach (var query in PluginSections(config, "akka.persistence.query.journal", ReadJournalClass))
            CheckSection(config, query, ReadJournalRules, ["class"], problems);
        if (config.HasPath("akkawal.transactions"))
        {
            CheckSection(config, "akkawal.transactions", TransactionRules, [], problems);
            CheckPluginExists(config, "akkawal.transactions.journal-plugin", problems);
            CheckPluginExists(config, "akkawal.transactions.snapshot-plugin", problems);
        }
        if (config.HasPath("akkawal.host"))
        {
            CheckSection(config, "akkawal.host", HostRules, [], problems);
            CheckLonger(config, "akkawal.host.http-request-timeout", "akkawal.host.request-timeout", problems);
        }
        if (config.HasPath("akkawal.postgres"))
            CheckSection(config, "akkawal.postgres", PostgresRules, [], problems);
        return problems;
    }

    private static IEnumerable<string> PluginSections(Config config, string parent, string pluginClass)
    {
        if (!config.HasPath(parent) || !config.GetValue(parent).IsObject())
            yield break;
        foreach (var (name, value) in config.GetValue(parent).GetObject().Items)
        {
            if (!value.IsObject()) continue;
            var path = parent + "." + name;
            if (config.HasPath(path + ".class") && SameClass(config.GetString(path + ".class"), pluginClass))
                yield return path;
        }
    }

    private static bool SameClass(string? configured, string expected) =>
        configured is not null && string.Equals(configured.Replace(" ", ""), expected.Replace(" ", ""), StringComparison.Ordinal);

    private static void CheckSection(Config config, string section, ConfigRule[] rules, string[] extraKeys, List<string> problems)
    {
        foreach (var rule in rules)
        {
            var key = section + "." + rule.Key;
            if (!config.HasPath(key))
            {
                problems.Add($"{key} is missing: must be {rule.Check(ConfigurationFactory.Empty, "x")}");
                continue;
            }
            if (rule.Check(config, key) is { } allowed)
                problems.Add($"{key} = {Describe(config, key)} is not allowed: must be {allowed}");
        }
        var known = new HashSet<string>(rules.Select(r => r.Key).Concat(extraKeys), StringComparer.Ordinal);
        foreach (var leaf in Leaves(config.GetValue(section), ""))
        {
            if (known.Contains(leaf) || known.Any(k => leaf.StartsWith(k + ".", StringComparison.Ordinal)))
                continue;
            problems.Add($"{section}.{leaf} is not a known key: the keys of {section} are {string.Join(", ", rules.Select(r => r.Key))}");
        }
    }

    private static IEnumerable<string> Leaves(Akka.Configuration.Hocon.HoconValue value, string prefix)
    {
        foreach (var (name, child) in value.GetObject().Items)
        {
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            if (child.IsObject() && !GenericPluginKeys.Contains(path))
                foreach (var leaf in Leaves(child, path))
                    yield return leaf;
            else
                yield return path;
        }
    }

    private static void CheckRecordFitsSegment(Config config, string journal, List<string> problems)
    {
        try
        {
            var record = config.GetByteSize(journal + ".max-record-size");
            var segment = config.GetByteSize(journal + ".segment-size");
            if (record > 0 && segment > 0 && record > segment) // non-positive values are reported by their own rule
                problems.Add($"{journal}.max-record-size ({record} bytes) is not allowed: must not exceed {journal}.segment-size ({segment} bytes)");
        }
        catch (Exception)
        {
            // either value is already reported as malformed
        }
    }

    private static void CheckLonger(Config config, string longer, string shorter, List<string> problems)
    {
        try
        {
            var outer = config.GetTimeSpan(longer, null, allowInfinite: false);
            var inner = config.GetTimeSpan(shorter, null, allowInfinite: false);
            if (inner > TimeSpan.Zero && outer > TimeSpan.Zero && outer <= inner) // non-positive values are reported by their own rule
                problems.Add($"{longer} ({outer.TotalSeconds:0.###} s) is not allowed: must exceed {shorter} ({inner.TotalSeconds:0.###} s)");
        }
        catch (Exception)
        {
            // either value is already reported as malformed
        }
    }

    private static void CheckPluginExists(Config config, string key, List<string> problems)
    {
        string? plugin;
        try { plugin = config.GetString(key); }
        catch (Exception) { return; } // reported by the section rules
        if (!string.IsNullOrWhiteSpace(plugin) && !config.HasPath(plugin + ".class"))
            problems.Add($"{key} = '{plugin}' is not allowed: must name a configured plugin (there is no {plugin}.class)");
    }
}
