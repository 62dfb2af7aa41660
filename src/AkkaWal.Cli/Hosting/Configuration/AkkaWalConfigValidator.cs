using Akka.Configuration;
using Akka.Configuration.Hocon;
using AkkaWal.Persistence;
using AkkaWal.Persistence.Configuration;
using AkkaWal.Transactions;

namespace AkkaWal.Cli.Hosting.Configuration;

/// <summary>
/// Checks a whole configuration before the ActorSystem starts, so a bad value stops start-up with every problem listed.
/// It holds no rule of its own for a value: each section is read by the settings reader of the part that uses it
/// (<see cref="JournalSettings"/>, <see cref="SnapshotStoreSettings"/>, <see cref="ReadJournalSettings"/>,
/// <see cref="TransactionSettings"/>, <see cref="AkkaWalHostSettings"/>), so "valid here" is "accepted at open".
/// It adds what only a whole configuration can check: a key the reference does not have (a typo) and a plugin id
/// that names no configured plugin. Every AkkaWal plugin section is found by its class, under any id.
/// </summary>
public static class AkkaWalConfigValidator
{
    /// <summary>The <c>class</c> of an AkkaWal journal section.</summary>
    public const string JournalClass = "AkkaWal.Persistence.Journal.WalJournal, AkkaWal.Persistence";
    /// <summary>The <c>class</c> of an AkkaWal snapshot store section.</summary>
    public const string SnapshotStoreClass = "AkkaWal.Persistence.Snapshot.WalSnapshotStore, AkkaWal.Persistence";
    /// <summary>The <c>class</c> of an AkkaWal read journal section.</summary>
    public const string ReadJournalClass = "AkkaWal.Persistence.Query.WalReadJournalProvider, AkkaWal.Persistence";

    private const string PostgresSection = "akkawal.postgres";

    // Keys every Akka.Persistence plugin section may carry (Akka's plugin fallback, Akka.Hosting's options and adapters).
    private static readonly string[] GenericPluginKeys =
    [
        "class", "plugin-dispatcher", "replay-dispatcher", "event-adapters", "event-adapter-bindings", "auto-initialize",
        "serializer", "circuit-breaker", "replay-filter", "recovery-event-timeout", "call-timeout",
    ];

    /// <summary>Throws <see cref="AkkaWalConfigException"/> listing every problem; returns quietly when there is none.</summary>
    public static void Validate(Config config)
    {
        var problems = Check(config);
        if (problems.Count > 0)
            throw new AkkaWalConfigException(problems);
    }

    /// <summary>Every problem found, each naming its full key; empty when the config is usable.</summary>
    public static IReadOnlyList<string> Check(Config config)
    {
        var problems = new List<string>();
        var reference = WalPersistence.DefaultConfiguration();
        foreach (var journal in PluginSections(config, "akka.persistence.journal", JournalClass))
        {
            problems.AddRange(JournalSettings.Check(config.GetConfig(journal), journal));
            UnknownKeys(config, journal, reference.GetConfig(JournalSettings.ReferenceSection), GenericPluginKeys, problems);
        }
        foreach (var store in PluginSections(config, "akka.persistence.snapshot-store", SnapshotStoreClass))
        {
            problems.AddRange(SnapshotStoreSettings.Check(config.GetConfig(store), store));
            UnknownKeys(config, store, reference.GetConfig(SnapshotStoreSettings.ReferenceSection), GenericPluginKeys, problems);
        }
        foreach (var query in PluginSections(config, "akka.persistence.query.journal", ReadJournalClass))
        {
            problems.AddRange(ReadJournalSettings.Check(config.GetConfig(query), query));
            UnknownKeys(config, query, reference.GetConfig(ReadJournalSettings.ReferenceSection), [], problems);
        }
        if (config.HasPath(TransactionSettings.SectionPath))
        {
            problems.AddRange(TransactionSettings.Check(config.GetConfig(TransactionSettings.SectionPath)));
            UnknownKeys(config, TransactionSettings.SectionPath, TransactionsConfig.Default.GetConfig(TransactionSettings.SectionPath), [], problems);
            CheckPluginExists(config, TransactionSettings.SectionPath + ".journal-plugin", problems);
            CheckPluginExists(config, TransactionSettings.SectionPath + ".snapshot-plugin", problems);
        }
        if (config.HasPath(PostgresSection))
        {
            // Cluster mode on PostgreSQL (hocon/examples/cluster-postgres.conf); emptiness is checked where it matters, by ClusterMode.
            if (config.GetValue(PostgresSection + ".connection-string") is { } cs && (cs.IsObject() || cs.IsArray()))
                problems.Add($"{PostgresSection}.connection-string is invalid: expected a single value, not an object or a list");
            UnknownKeys(config, PostgresSection, ConfigurationFactory.ParseString("connection-string = \"\""), [], problems);
        }
        if (config.HasPath(AkkaWalHostSettings.SectionPath))
        {
            problems.AddRange(AkkaWalHostSettings.Check(config));
            UnknownKeys(config, AkkaWalHostSettings.SectionPath, HostingConfig.Default.GetConfig(AkkaWalHostSettings.SectionPath), [], problems);
        }
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

    /// <summary>A key the reference section does not have is a typo (or a key of another version): named with the
    /// keys that exist. The known keys come from the reference itself, so a key added there is known here.</summary>
    private static void UnknownKeys(Config config, string section, Config reference, string[] extraKeys, List<string> problems)
    {
        var referenceKeys = Leaves(reference.Root, "", extraKeys).ToArray();
        var known = new HashSet<string>(referenceKeys.Concat(extraKeys), StringComparer.Ordinal);
        foreach (var leaf in Leaves(config.GetValue(section), "", extraKeys))
        {
            if (known.Contains(leaf) || known.Any(k => leaf.StartsWith(k + ".", StringComparison.Ordinal)))
                continue; // a value where the reference has one is the reader's problem (an object where a value belongs)
            var allowed = referenceKeys.Where(k => !extraKeys.Contains(k));
            problems.Add($"{section}.{leaf} is not a known key: the keys of {section} are {string.Join(", ", allowed)}");
        }
    }

    private static IEnumerable<string> Leaves(HoconValue value, string prefix, string[] opaqueKeys)
    {
        foreach (var (name, child) in value.GetObject().Items)
        {
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            if (child.IsObject() && !opaqueKeys.Contains(path))
                foreach (var leaf in Leaves(child, path, opaqueKeys))
                    yield return leaf;
            else
                yield return path;
        }
    }

    private static void CheckPluginExists(Config config, string key, List<string> problems)
    {
        string? plugin;
        try { plugin = config.GetString(key); }
        catch (Exception) { return; } // reported by the section's reader
        if (!string.IsNullOrWhiteSpace(plugin) && !config.HasPath(plugin + ".class"))
            problems.Add($"{key} = \"{plugin}\" is invalid: expected the id of a configured plugin (there is no {plugin}.class)");
    }
}
