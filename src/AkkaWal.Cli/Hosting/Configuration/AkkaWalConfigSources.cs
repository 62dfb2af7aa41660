using System.Collections;
using System.Text.RegularExpressions;
using Akka.Configuration;

namespace AkkaWal.Cli.Hosting.Configuration;

/// <summary>
/// Builds the configuration the host runs with from four layers, each overriding the one before:
/// reference (the embedded defaults of every AkkaWal part) &lt; the HOCON file &lt; environment variables
/// (<c>AKKAWAL__A__B_C=value</c> sets <c>a.b-c</c>) &lt; command-line settings (<c>key=value</c>).
/// </summary>
public static partial class AkkaWalConfigSources
{
    /// <summary>Prefix of the environment variables that set configuration keys.</summary>
    public const string EnvironmentPrefix = "AKKAWAL__";

    /// <summary>Parses a HOCON file; a syntax error becomes an <see cref="AkkaWalConfigException"/> naming the file.</summary>
    public static Config LoadFile(string path) => LoadFile(path, []);

    /// <summary>
    /// Parses a HOCON file with the operator's settings (<see cref="EnvironmentSettings"/>, <see cref="CommandLineSettings"/>)
    /// appended to its text, so a substitution in the file (<c>connection-string = ${akkawal.postgres.connection-string}</c>)
    /// resolves to the value that wins in the end: HOCON resolves substitutions once, when a document is parsed.
    /// </summary>
    public static Config LoadFile(string path, IEnumerable<KeyValuePair<string, string>> overrides)
    {
        if (!File.Exists(path))
            throw new AkkaWalConfigException([$"configuration file {Path.GetFullPath(path)} does not exist"]);
        var appended = string.Concat(overrides.Select(o => "\n" + Line(o.Key, o.Value)));
        try
        {
            return ConfigurationFactory.ParseString(File.ReadAllText(path) + appended);
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new AkkaWalConfigException([$"configuration file {Path.GetFullPath(path)} is not valid HOCON: {e.Message}"]);
        }
    }

    /// <summary>The keys set by <c>AKKAWAL__</c> environment variables: after the prefix, <c>__</c> separates path
    /// segments, <c>_</c> stands for <c>-</c>, and names are lower-cased (<c>AKKAWAL__AKKAWAL__HOST__REQUEST_TIMEOUT=5s</c>).</summary>
    public static Config FromEnvironment(IDictionary variables) =>
        FromSettings(EnvironmentSettings(variables), source: "environment variable " + EnvironmentPrefix);

    /// <summary>The <c>AKKAWAL__</c> environment variables as (key, value) pairs, sorted by key.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> EnvironmentSettings(IDictionary variables)
    {
        var settings = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is not string name || !name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) || entry.Value is not string value)
                continue;
            var key = string.Join('.', name[EnvironmentPrefix.Length..].Split("__").Select(s => s.Replace('_', '-').ToLowerInvariant()));
            settings.Add(new(key, value));
        }
        // Sorted, so the result does not depend on the environment's enumeration order.
        return settings.OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>Parses <c>key=value</c> settings (command line). A later setting of the same key wins.</summary>
    public static Config FromCommandLine(IEnumerable<string> settings) => FromSettings(CommandLineSettings(settings), source: "--set");

    /// <summary>`key=value` settings as (key, value) pairs, in order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> CommandLineSettings(IEnumerable<string> settings)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var setting in settings)
        {
            var eq = setting.IndexOf('=');
            if (eq <= 0)
                throw new AkkaWalConfigException([$"--set '{setting}' is not allowed: must be key=value, such as akka.persistence.journal.wal.durability=interval"]);
            pairs.Add(new(setting[..eq].Trim(), setting[(eq + 1)..]));
        }
        return pairs;
    }

    /// <summary>Stacks the layers: <paramref name="commandLine"/> over <paramref name="environment"/> over
    /// <paramref name="file"/> over <see cref="Reference"/>.</summary>
    public static Config Layer(Config? file, Config? environment, Config? commandLine)
    {
        var config = Reference;
        if (file is not null) config = file.WithFallback(config);
        if (environment is not null) config = environment.WithFallback(config);
        if (commandLine is not null) config = commandLine.WithFallback(config);
        return config;
    }

    /// <summary>The embedded defaults of every AkkaWal part: hosting, the transaction pipeline and the persistence plugins.</summary>
    public static Config Reference { get; } = HostingConfig.Default
        .WithFallback(AkkaWal.Transactions.TransactionsConfig.Default)
        .WithFallback(AkkaWal.Persistence.WalPersistence.DefaultConfiguration())
        // Akka.Persistence's own plugins (inmem journal, local snapshot store), so they are valid plugin ids too.
        .WithFallback(Akka.Persistence.Persistence.DefaultConfig());

    private static Config FromSettings(IEnumerable<KeyValuePair<string, string>> settings, string source)
    {
        var config = ConfigurationFactory.Empty;
        foreach (var (key, value) in settings)
        {
            if (!KeyPattern().IsMatch(key))
                throw new AkkaWalConfigException([$"{source} key '{key}' is not allowed: must be a dotted HOCON path of letters, digits and -"]);
            Config parsed;
            try
            {
                parsed = ConfigurationFactory.ParseString(Line(key, value));
            }
            catch (Exception e)
            {
                throw new AkkaWalConfigException([$"{source} {key} = '{value}' is not allowed: not a HOCON value ({e.Message})"]);
            }
            config = parsed.WithFallback(config);
        }
        return config;
    }

    private static string Line(string key, string value) => $"{key} = {OperatorValue(value)}";

    /// <summary>A value given as text by an operator: quoted unless it is already HOCON structure or a quoted string.</summary>
    private static string OperatorValue(string raw)
    {
        var trimmed = raw.Trim();
        return trimmed.StartsWith('"') || trimmed.StartsWith('[') || trimmed.StartsWith('{') ? trimmed : System.Text.Json.JsonSerializer.Serialize(trimmed);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$")]
    private static partial Regex KeyPattern();
}
