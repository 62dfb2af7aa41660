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
    public static Config LoadFile(string path)
    {
        if (!File.Exists(path))
            throw new AkkaWalConfigException([$"configuration file {Path.GetFullPath(path)} does not exist"]);
        try
        {
            return ConfigurationFactory.ParseString(File.ReadAllText(path));
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new AkkaWalConfigException([$"configuration file {Path.GetFullPath(path)} is not valid HOCON: {e.Message}"]);
        }
    }

    /// <summary>The keys set by <c>AKKAWAL__</c> environment variables: after the prefix, <c>__</c> separates path
    /// segments, <c>_</c> stands for <c>-</c>, and names are lower-cased (<c>AKKAWAL__AKKAWAL__HOST__REQUEST_TIMEOUT=5s</c>).</summary>
    public static Config FromEnvironment(IDictionary variables)
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
        return FromSettings(settings.OrderBy(s => s.Key, StringComparer.Ordinal), source: "environment variable " + EnvironmentPrefix);
    }

    /// <summary>Parses <c>key=value</c> settings (command line). A later setting of the same key wins.</summary>
    public static Config FromCommandLine(IEnumerable<string> settings)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var setting in settings)
        {
            var eq = setting.IndexOf('=');
            if (eq <= 0)
                throw new AkkaWalConfigException([$"--set '{setting}' is not allowed: must be key=value, such as akka.persistence.journal.wal.durability=interval"]);
            pairs.Add(new(setting[..eq].Trim(), setting[(eq + 1)..]));
        }
        return FromSettings(pairs, source: "--set");
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
                parsed = ConfigurationFactory.ParseString($"{key} = {OperatorValue(value)}");
            }
            catch (Exception e)
            {
                throw new AkkaWalConfigException([$"{source} {key} = '{value}' is not allowed: not a HOCON value ({e.Message})"]);
            }
            config = parsed.WithFallback(config);
        }
        return config;
    }

    /// <summary>A value given as text by an operator: quoted unless it is already HOCON structure or a quoted string.</summary>
    private static string OperatorValue(string raw)
    {
        var trimmed = raw.Trim();
        return trimmed.StartsWith('"') || trimmed.StartsWith('[') || trimmed.StartsWith('{') ? trimmed : System.Text.Json.JsonSerializer.Serialize(trimmed);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$")]
    private static partial Regex KeyPattern();
}
