using Akka.Configuration;
using AkkaWal.Cli.Serve;
using AkkaWal.Cli.Hosting.Configuration;

namespace AkkaWal.Hosting.Tests.Hosting;

/// <summary>reference &lt; file &lt; environment &lt; command line, each layer overriding only the keys it sets.</summary>
public sealed class ConfigLayeringTests
{
    private const string Key = "akkawal.host.request-timeout";

    private static Config File(string hocon) => ConfigurationFactory.ParseString(hocon);

    [Fact]
    public void The_reference_supplies_every_default()
    {
        var config = AkkaWalConfigSources.Layer(null, null, null);

        Assert.Equal(TimeSpan.FromSeconds(30), config.GetTimeSpan(Key));
        Assert.Equal("always", config.GetString("akka.persistence.journal.wal.durability"));
        Assert.Equal(8, config.GetInt("akkawal.transactions.partitions"));
    }

    [Fact]
    public void The_file_overrides_the_reference()
    {
        var config = AkkaWalConfigSources.Layer(File($"{Key} = 7s"), null, null);
        Assert.Equal(TimeSpan.FromSeconds(7), config.GetTimeSpan(Key));
        Assert.Equal("always", config.GetString("akka.persistence.journal.wal.durability"));
    }

    [Fact]
    public void The_environment_overrides_the_file()
    {
        var env = AkkaWalConfigSources.FromEnvironment(new Dictionary<string, string>
        {
            ["AKKAWAL__AKKAWAL__HOST__REQUEST_TIMEOUT"] = "8s",
            ["AKKAWAL__AKKA__PERSISTENCE__JOURNAL__WAL__DURABILITY"] = "interval",
            ["UNRELATED"] = "x",
        });

        var config = AkkaWalConfigSources.Layer(File($"{Key} = 7s"), env, null);

        Assert.Equal(TimeSpan.FromSeconds(8), config.GetTimeSpan(Key));
        Assert.Equal("interval", config.GetString("akka.persistence.journal.wal.durability"));
    }

    [Fact]
    public void The_command_line_overrides_the_environment_and_a_later_setting_wins()
    {
        var env = AkkaWalConfigSources.FromEnvironment(new Dictionary<string, string> { ["AKKAWAL__AKKAWAL__HOST__REQUEST_TIMEOUT"] = "8s" });
        var commandLine = AkkaWalConfigSources.FromCommandLine([$"{Key}=9s", $"{Key}=10s"]);

        var config = AkkaWalConfigSources.Layer(File($"{Key} = 7s"), env, commandLine);

        Assert.Equal(TimeSpan.FromSeconds(10), config.GetTimeSpan(Key));
    }

    [Fact]
    public void Operator_values_keep_their_meaning_sizes_paths_and_words()
    {
        var config = AkkaWalConfigSources.FromCommandLine([
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

        var config = ServeConfiguration.Load(options, new Dictionary<string, string>());

        Assert.Equal(Path.Combine(data.Path, "journal"), config.GetString("akka.persistence.journal.wal.directory"));
        Assert.Equal("/elsewhere/snaps", config.GetString("akka.persistence.snapshot-store.wal.directory"));
    }

    [Fact]
    public void Serve_refuses_a_bad_environment_value_naming_the_key()
    {
        var options = new ServeOptions { ConfigFile = Path.Combine(AppContext.BaseDirectory, ServeOptions.DefaultConfigFile) };
        var env = new Dictionary<string, string> { ["AKKAWAL__AKKAWAL__TRANSACTIONS__PARTITIONS"] = "zero" };

        var e = Assert.Throws<AkkaWalConfigException>(() => ServeConfiguration.Load(options, env));

        Assert.Contains("akkawal.transactions.partitions = 'zero' is not allowed", e.Message);
    }
}
