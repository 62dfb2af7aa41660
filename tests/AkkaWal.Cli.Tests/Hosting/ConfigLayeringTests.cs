using Akka.Configuration;
using AkkaWal.Cli.Serve;
using AkkaWal.Cli.Hosting.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace AkkaWal.Cli.Tests.Hosting;

/// <summary>reference &lt; file &lt; appsettings.json &lt; environment &lt; command line, each layer overriding only the keys it sets.</summary>
public sealed class ConfigLayeringTests
{
    private const string Key = "akkawal.host.request-timeout";

    private static Config File(string hocon) => ConfigurationFactory.ParseString(hocon);

    /// <summary>What the environment-variables provider makes of <c>AKKAWAL__A__B_C=v</c>: the prefix stripped,
    /// <c>__</c> turned into ':' (the real provider reads the process's variables, which tests running side by side share).</summary>
    private static MemoryConfigurationSource Environment(params (string Variable, string Value)[] variables) => new()
    {
        InitialData = variables.Select(v => new KeyValuePair<string, string?>(
            v.Variable[AkkaWalConfigSources.EnvironmentPrefix.Length..].Replace("__", ":"), v.Value)),
    };

    private static Config Overrides(MemoryConfigurationSource? environment, string[] settings, string? appSettings = null) =>
        AkkaWalConfigSources.Overrides(appSettings, environment, [], settings);

    [Fact]
    public void The_reference_supplies_every_default()
    {
        var config = AkkaWalConfigSources.Layer(null, null);

        Assert.Equal(TimeSpan.FromSeconds(30), config.GetTimeSpan(Key));
        Assert.Equal("always", config.GetString("akka.persistence.journal.wal.durability"));
        Assert.Equal(8, config.GetInt("akkawal.transactions.partitions"));
    }

    [Fact]
    public void The_file_overrides_the_reference()
    {
        var config = AkkaWalConfigSources.Layer(File($"{Key} = 7s"), null);
        Assert.Equal(TimeSpan.FromSeconds(7), config.GetTimeSpan(Key));
        Assert.Equal("always", config.GetString("akka.persistence.journal.wal.durability"));
    }

    [Fact]
    public void Environment_names_become_hocon_keys_the_akka_hosting_way_and_override_the_file()
    {
        var env = Environment(
            ("AKKAWAL__AKKAWAL__HOST__REQUEST_TIMEOUT", "8s"),
            ("AKKAWAL__AKKA__PERSISTENCE__JOURNAL__WAL__DURABILITY", "interval"));

        var config = AkkaWalConfigSources.Layer(File($"{Key} = 7s"), Overrides(env, []));

        Assert.Equal(TimeSpan.FromSeconds(8), config.GetTimeSpan(Key));
        Assert.Equal("interval", config.GetString("akka.persistence.journal.wal.durability"));
    }

    [Fact]
    public void Appsettings_json_overrides_the_file_and_the_environment_overrides_it()
    {
        using var dir = new TempDirectory();
        var json = Path.Combine(dir.Path, "appsettings.json");
        System.IO.File.WriteAllText(json, """
            { "akkawal": { "host": { "request-timeout": "11s", "shutdown-timeout": "12s" } }, "Logging": { "LogLevel": { "Default": "Warning" } } }
            """);
        var env = Environment(("AKKAWAL__AKKAWAL__HOST__SHUTDOWN_TIMEOUT", "13s"));

        var config = AkkaWalConfigSources.Layer(File($"{Key} = 7s"), Overrides(env, [], json));

        Assert.Equal(TimeSpan.FromSeconds(11), config.GetTimeSpan(Key));
        Assert.Equal(TimeSpan.FromSeconds(13), config.GetTimeSpan("akkawal.host.shutdown-timeout"));
        Assert.False(config.HasPath("logging")); // only the akka and akkawal sections become HOCON
        Assert.Empty(AkkaWalConfigValidator.Check(config));
    }

    [Fact]
    public void A_broken_appsettings_json_names_the_file()
    {
        using var dir = new TempDirectory();
        var json = Path.Combine(dir.Path, "appsettings.json");
        System.IO.File.WriteAllText(json, "{ \"akkawal\": ");

        var e = Assert.Throws<AkkaWalConfigException>(() => Overrides(null, [], json));

        Assert.Contains(json, e.Message);
    }

    [Fact]
    public void The_command_line_overrides_the_environment_and_a_later_setting_wins()
    {
        var env = Environment(("AKKAWAL__AKKAWAL__HOST__REQUEST_TIMEOUT", "8s"));

        var config = AkkaWalConfigSources.Layer(File($"{Key} = 7s"), Overrides(env, [$"{Key}=9s", $"{Key}=10s"]));

        Assert.Equal(TimeSpan.FromSeconds(10), config.GetTimeSpan(Key));
    }

    [Fact]
    public void Operator_values_keep_their_meaning_sizes_paths_and_words()
    {
        var config = Overrides(null, [
            "akka.persistence.journal.wal.segment-size=128MiB",
            "akka.persistence.journal.wal.directory=/var/lib/akkawal//journal",
            "akkawal.transactions.partitions=16",
        ]);

        Assert.Equal(128L * 1024 * 1024, config.GetByteSize("akka.persistence.journal.wal.segment-size"));
        Assert.Equal("/var/lib/akkawal//journal", config.GetString("akka.persistence.journal.wal.directory"));
        Assert.Equal(16, config.GetInt("akkawal.transactions.partitions"));
    }

    [Fact]
    public void Serve_puts_the_journal_and_snapshots_under_the_data_directory_and_set_still_wins()
    {
        using var data = new TempDirectory();
        var options = new ServeOptions
        {
            ConfigFile = Path.Combine(AppContext.BaseDirectory, ServeOptions.DefaultConfigFile),
            DataDirectory = data.Path,
            Settings = ["akka.persistence.snapshot-store.wal.directory=/elsewhere/snaps"],
        };

        var config = ServeConfiguration.Load(options, new MemoryConfigurationSource(), appSettingsFile: null);

        Assert.Equal(AkkaWal.Persistence.WalDataDirectory.Journal(data.Path), config.GetString("akka.persistence.journal.wal.directory"));
        Assert.Equal("/elsewhere/snaps", config.GetString("akka.persistence.snapshot-store.wal.directory"));
    }

    [Fact]
    public void A_set_list_value_such_as_the_seed_nodes_stays_a_list()
    {
        using var data = new TempDirectory();
        var options = new ServeOptions
        {
            ConfigFile = Path.Combine(AppContext.BaseDirectory, ServeOptions.DefaultConfigFile),
            DataDirectory = data.Path,
            Settings = ["akka.cluster.seed-nodes=[\"akka.tcp://akkawal@127.0.0.1:4053\", \"akka.tcp://akkawal@127.0.0.1:4054\"]"],
        };

        var config = ServeConfiguration.Load(options, new MemoryConfigurationSource(), appSettingsFile: null);

        Assert.Equal(["akka.tcp://akkawal@127.0.0.1:4053", "akka.tcp://akkawal@127.0.0.1:4054"], config.GetStringList("akka.cluster.seed-nodes"));
    }

    [Fact]
    public void Serve_refuses_a_bad_environment_value_naming_the_key()
    {
        var options = new ServeOptions { ConfigFile = Path.Combine(AppContext.BaseDirectory, ServeOptions.DefaultConfigFile) };
        var env = Environment(("AKKAWAL__AKKAWAL__TRANSACTIONS__PARTITIONS", "zero"));

        var e = Assert.Throws<AkkaWalConfigException>(() => ServeConfiguration.Load(options, env, appSettingsFile: null));

        Assert.Contains("akkawal.transactions.partitions = \"zero\" is invalid", e.Message);
    }
}
