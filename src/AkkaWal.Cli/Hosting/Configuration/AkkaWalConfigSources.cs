using Akka.Configuration;
using Akka.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace AkkaWal.Cli.Hosting.Configuration;

/// <summary>
/// Builds the configuration the host runs with, each layer overriding the ones before:
/// reference (the embedded defaults of every AkkaWal part) &lt; the HOCON file &lt; <c>appsettings.json</c> &lt;
/// environment variables &lt; the command line. The last three are Microsoft.Extensions.Configuration providers,
/// turned into HOCON by Akka.Hosting's adapter (the one behind <c>AddHocon(IConfiguration)</c>): keys are lower-cased
/// and <c>_</c> stands for <c>-</c>, so <c>AKKAWAL__AKKAWAL__HOST__REQUEST_TIMEOUT=5s</c> sets
/// <c>akkawal.host.request-timeout</c>, as it would for any Akka.Hosting application. Only the <c>akka</c> and
/// <c>akkawal</c> sections become HOCON (an appsettings.json may hold other sections, such as Logging).
/// </summary>
public static class AkkaWalConfigSources
{
    /// <summary>Prefix of the environment variables that set configuration keys (after it, <c>__</c> separates path segments).</summary>
    public const string EnvironmentPrefix = "AKKAWAL__";

    /// <summary>The JSON settings file read from the working directory when it exists.</summary>
    public const string AppSettingsFile = "appsettings.json";

    private static readonly string[] HoconSections = ["akka", "akkawal"];

    /// <summary>The process's <c>AKKAWAL__</c> environment variables as a configuration source.</summary>
    public static IConfigurationSource Environment() => new EnvironmentVariablesConfigurationSource { Prefix = EnvironmentPrefix };

    /// <summary>Parses a HOCON file; a syntax error becomes an <see cref="AkkaWalConfigException"/> naming the file.</summary>
    public static Config LoadFile(string path) => LoadFile(path, ConfigurationFactory.Empty);

    /// <summary><see cref="LoadFile(string, Config)"/> with settings given as (dotted key, value) pairs.</summary>
    public static Config LoadFile(string path, IEnumerable<KeyValuePair<string, string>> settings) =>
        LoadFile(path, Overrides(null, null, settings, []));

    /// <summary>Given environment variables (a test's, or a supervisor's list) as the environment layer: what the
    /// environment-variables provider makes of them (the <c>AKKAWAL__</c> prefix stripped, <c>__</c> read as ':').</summary>
    public static IConfigurationSource Environment(System.Collections.IDictionary variables) => new MemoryConfigurationSource
    {
        InitialData = variables.Keys.OfType<string>()
            .Where(name => name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && variables[name] is string)
            .Select(name => new KeyValuePair<string, string?>(name[EnvironmentPrefix.Length..].Replace("__", ":"), (string)variables[name]!)),
    };

    /// <summary>
    /// Parses a HOCON file with the operator's settings (<paramref name="overrides"/>: appsettings.json, environment,
    /// command line) appended to its text, so a substitution in the file (<c>connection-string = ${akkawal.postgres.connection-string}</c>)
    /// resolves to the value that wins in the end: HOCON resolves substitutions once, when a document is parsed.
    /// </summary>
    public static Config LoadFile(string path, Config overrides)
    {
        if (!File.Exists(path))
            throw new AkkaWalConfigException([$"configuration file {Path.GetFullPath(path)} does not exist"]);
        var appended = string.Concat(Leaves(overrides.Root, "").Select(o => $"\n{o.Key} = {System.Text.Json.JsonSerializer.Serialize(o.Value)}"));
        try
        {
            return ConfigurationFactory.ParseString(File.ReadAllText(path) + appended);
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new AkkaWalConfigException([$"configuration file {Path.GetFullPath(path)} is not valid HOCON: {e.Message}"]);
        }
    }

    /// <summary>The Microsoft.Extensions.Configuration layers as HOCON, lowest first: <paramref name="appSettingsFile"/>
    /// (optional), <paramref name="environment"/>, <paramref name="defaults"/> (settings the command line implies, such
    /// as --data), then <paramref name="settings"/> (<c>key=value</c> with a dotted HOCON key; a later one wins).
    /// Each provider becomes HOCON on its own before they are stacked: the environment spells <c>-</c> as <c>_</c>, so
    /// merged as configuration keys, <c>request_timeout</c> and <c>request-timeout</c> would be two keys, not an override.</summary>
    public static Config Overrides(string? appSettingsFile, IConfigurationSource? environment,
        IEnumerable<KeyValuePair<string, string>> defaults, IEnumerable<string> settings)
    {
        var layers = new List<IConfigurationSource>();
        if (appSettingsFile is not null)
        {
            var json = new JsonConfigurationSource { Path = Path.GetFullPath(appSettingsFile), Optional = true, ReloadOnChange = false };
            json.ResolveFileProvider();
            layers.Add(json);
        }
        if (environment is not null) layers.Add(environment);
        layers.Add(new MemoryConfigurationSource { InitialData = defaults.Select(d => new KeyValuePair<string, string?>(ConfigurationKey(d.Key), d.Value)) });
        var (plain, structured) = SplitStructured(settings);
        layers.Add(new MemoryConfigurationSource { InitialData = CommandLine(plain) });
        var config = ConfigurationFactory.Empty;
        foreach (var layer in layers)
            config = ToHocon(Build(layer, appSettingsFile)).WithFallback(config);
        return structured.WithFallback(config);
    }

    /// <summary>A <c>--set</c> whose value is a HOCON list or object (<c>akka.cluster.seed-nodes=["akka.tcp://…"]</c>)
    /// cannot pass through Microsoft.Extensions.Configuration, where every value is a string: it is parsed as HOCON
    /// itself and stays the top layer.</summary>
    private static (List<string> Plain, Config Structured) SplitStructured(IEnumerable<string> settings)
    {
        var plain = new List<string>();
        var structured = ConfigurationFactory.Empty;
        foreach (var setting in settings)
        {
            var eq = setting.IndexOf('=');
            var value = eq > 0 ? setting[(eq + 1)..].TrimStart() : "";
            if (!value.StartsWith('[') && !value.StartsWith('{')) { plain.Add(setting); continue; }
            var key = setting[..eq].Trim();
            CommandLine([key + "=x"]); // the same key rule as every other --set
            try { structured = ConfigurationFactory.ParseString($"{key} = {value}").WithFallback(structured); }
            catch (Exception e)
            {
                throw new AkkaWalConfigException([$"--set '{setting}' is not valid HOCON: {e.Message}"]);
            }
        }
        return (plain, structured);
    }

    private static IConfiguration Build(IConfigurationSource source, string? appSettingsFile)
    {
        try
        {
            return new ConfigurationBuilder().Add(source).Build();
        }
        catch (Exception e) when (source is JsonConfigurationSource && e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new AkkaWalConfigException([$"configuration file {Path.GetFullPath(appSettingsFile!)} is not valid JSON: {e.Message}"]);
        }
    }

    /// <summary>The <c>akka</c> and <c>akkawal</c> sections of <paramref name="configuration"/> as HOCON, by Akka.Hosting's
    /// adapter (keys lower-cased, <c>_</c> read as <c>-</c>).</summary>
    private static Config ToHocon(IConfiguration configuration)
    {
        var config = ConfigurationFactory.Empty;
        foreach (var name in HoconSections)
        {
            var section = configuration.GetSection(name);
            if (section.Exists()) config = section.ToHocon().WithFallback(config);
        }
        return config;
    }

    /// <summary>Stacks the layers: <paramref name="overrides"/> (appsettings.json, environment, command line) over
    /// <paramref name="file"/> over <see cref="Reference"/>.</summary>
    public static Config Layer(Config? file, Config? overrides)
    {
        var config = Reference;
        if (file is not null) config = file.WithFallback(config);
        if (overrides is not null) config = overrides.WithFallback(config);
        return config;
    }

    /// <summary>The embedded defaults of every AkkaWal part: hosting, the transaction pipeline and the persistence plugins.</summary>
    public static Config Reference { get; } = HostingConfig.Default
        .WithFallback(AkkaWal.Transactions.TransactionsConfig.Default)
        .WithFallback(AkkaWal.Persistence.WalPersistence.DefaultConfiguration())
        // Akka.Persistence's own plugins (inmem journal, local snapshot store), so they are valid plugin ids too.
        .WithFallback(Akka.Persistence.Persistence.DefaultConfig());

    /// <summary><c>--set key=value</c> settings as configuration keys (a later setting of a key wins).</summary>
    private static Dictionary<string, string?> CommandLine(IEnumerable<string> settings)
    {
        var pairs = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in settings)
        {
            var eq = setting.IndexOf('=');
            var key = eq > 0 ? setting[..eq].Trim() : "";
            if (key.Length == 0 || key.Split('.').Any(string.IsNullOrWhiteSpace) || !HoconSections.Contains(key.Split('.')[0]))
                throw new AkkaWalConfigException([$"--set '{setting}' is not allowed: must be key=value with a key under akka or akkawal, such as akka.persistence.journal.wal.durability=interval"]);
            pairs[ConfigurationKey(key)] = Unquoted(setting[(eq + 1)..]);
        }
        return pairs;
    }

    /// <summary>A --set value in double quotes (a connection string with spaces or '=') is the string inside them.</summary>
    private static string Unquoted(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length < 2 || trimmed[0] != '"' || trimmed[^1] != '"') return value;
        try { return ConfigurationFactory.ParseString("v = " + trimmed).GetString("v"); }
        catch (Exception) { return value; } // not a valid quoted string: taken as it is
    }

    private static IEnumerable<KeyValuePair<string, string>> Leaves(Akka.Configuration.Hocon.HoconValue value, string prefix)
    {
        if (!value.IsObject()) yield break;
        foreach (var (name, child) in value.GetObject().Items)
        {
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            if (child.IsObject())
                foreach (var leaf in Leaves(child, path)) yield return leaf;
            else if (!child.IsArray())
                yield return new(path, child.GetString());
        }
    }

    /// <summary>A dotted HOCON path as a Microsoft.Extensions.Configuration key (':' separates sections).</summary>
    private static string ConfigurationKey(string hoconPath) => hoconPath.Replace('.', ':');
}
