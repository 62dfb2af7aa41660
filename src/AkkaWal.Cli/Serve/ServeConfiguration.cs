using Akka.Configuration;
using AkkaWal.Cli.Hosting.Configuration;

namespace AkkaWal.Cli.Serve;

/// <summary>
/// The configuration `akkawal serve` runs with: reference &lt; HOCON file &lt; AKKAWAL__ environment variables &lt;
/// command line (--data, then --set), validated before anything starts.
/// </summary>
public static class ServeConfiguration
{
    public const string JournalPluginId = "akka.persistence.journal.wal";
    public const string SnapshotPluginId = "akka.persistence.snapshot-store.wal";

    /// <summary>The file used: the one given, else hocon/akkawal.conf under the working directory, else the copy
    /// shipped next to the binary (so the default works from any directory).</summary>
    public static string ResolveConfigFile(string? given)
    {
        if (given is not null)
            return Path.GetFullPath(given);
        var local = Path.GetFullPath(ServeOptions.DefaultConfigFile);
        return File.Exists(local) ? local : Path.Combine(AppContext.BaseDirectory, ServeOptions.DefaultConfigFile);
    }

    /// <summary>Loads and layers every source; throws <see cref="AkkaWalConfigException"/> naming each bad key.</summary>
    public static Config Load(ServeOptions options, System.Collections.IDictionary environment)
    {
        // Each source parsed alone first, so a bad setting is reported as the setting it is.
        var env = AkkaWalConfigSources.FromEnvironment(environment);
        var commandLine = AkkaWalConfigSources.FromCommandLine(options.Settings).WithFallback(DataDirectoryConfig(options.DataDirectory));
        var file = AkkaWalConfigSources.LoadFile(ResolveConfigFile(options.ConfigFile),
            AkkaWalConfigSources.EnvironmentSettings(environment).Concat(AkkaWalConfigSources.CommandLineSettings(options.Settings)));
        var config = AkkaWalConfigSources.Layer(file, env, commandLine);
        AkkaWalConfigValidator.Validate(config);
        var clusterProblems = ClusterMode.Check(config, ServeHost.IsWalJournal(config, config.GetString("akkawal.transactions.journal-plugin")));
        if (clusterProblems.Count > 0)
            throw new AkkaWalConfigException(clusterProblems);
        return config;
    }

    /// <summary>--data DIR puts the journal in DIR/journal and the snapshots in DIR/snapshots.</summary>
    private static Config DataDirectoryConfig(string dataDirectory)
    {
        var root = Path.GetFullPath(dataDirectory);
        return ConfigurationFactory.ParseString($"""
            {JournalPluginId}.directory = {HoconQuote(Path.Combine(root, "journal"))}
            {SnapshotPluginId}.directory = {HoconQuote(Path.Combine(root, "snapshots"))}
            akka.persistence.snapshot-store.local.dir = {HoconQuote(Path.Combine(root, "snapshots"))}
            """);
    }

    private static string HoconQuote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
