using Akka.Configuration;
using AkkaWal.Cli.Hosting.Configuration;
using AkkaWal.Persistence;
using Microsoft.Extensions.Configuration;

namespace AkkaWal.Cli.Serve;

/// <summary>
/// The configuration `akkawal serve` runs with: reference &lt; HOCON file &lt; appsettings.json &lt; AKKAWAL__
/// environment variables &lt; command line (--data, then --set), validated before anything starts.
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

    /// <summary>Loads and layers every source with the given environment variables as the environment layer.</summary>
    public static Config Load(ServeOptions options, System.Collections.IDictionary environment) =>
        Load(options, AkkaWalConfigSources.Environment(environment), appSettingsFile: null);

    /// <summary>Loads and layers every source; throws <see cref="AkkaWalConfigException"/> naming each bad key.</summary>
    /// <param name="options">The command line.</param>
    /// <param name="environment">The environment layer: the process's <c>AKKAWAL__</c> variables unless a test gives another.</param>
    /// <param name="appSettingsFile">The JSON layer; by default <c>appsettings.json</c> in the working directory (optional).</param>
    public static Config Load(ServeOptions options, IConfigurationSource? environment = null, string? appSettingsFile = AkkaWalConfigSources.AppSettingsFile)
    {
        var overrides = AkkaWalConfigSources.Overrides(appSettingsFile, environment ?? AkkaWalConfigSources.Environment(),
            DataDirectorySettings(options.DataDirectory), options.Settings);
        var file = AkkaWalConfigSources.LoadFile(ResolveConfigFile(options.ConfigFile), overrides);
        var config = AkkaWalConfigSources.Layer(file, overrides);
        AkkaWalConfigValidator.Validate(config);
        var clusterProblems = ClusterMode.Check(config, ServeHost.IsWalJournal(config, config.GetString("akkawal.transactions.journal-plugin")));
        if (clusterProblems.Count > 0)
            throw new AkkaWalConfigException(clusterProblems);
        return config;
    }

    /// <summary>--data DIR: the journal and the snapshots where <see cref="WalDataDirectory"/> puts them.</summary>
    private static KeyValuePair<string, string>[] DataDirectorySettings(string dataDirectory)
    {
        var root = Path.GetFullPath(dataDirectory);
        return
        [
            new($"{JournalPluginId}.directory", WalDataDirectory.Journal(root)),
            new($"{SnapshotPluginId}.directory", WalDataDirectory.Snapshots(root)),
            new("akka.persistence.snapshot-store.local.dir", WalDataDirectory.Snapshots(root)),
        ];
    }
}
