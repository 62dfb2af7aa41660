using AkkaWal.Cli.Hosting.Configuration;
using AkkaWal.Cli.Serve;

namespace AkkaWal.Cluster.Tests;

/// <summary>What `akkawal serve` makes of hocon/examples/cluster-postgres.conf and the settings ops add to it.</summary>
public sealed class ClusterConfigurationTests
{
    private const string ConnectionString = "Host=127.0.0.1;Port=5432;Username=akkawal;Database=akkawal";

    private static ServeOptions Options(params string[] settings) =>
        new() { ConfigFile = ClusterPostgresExample.Path, DataDirectory = Path.GetTempPath(), Settings = settings };

    [Fact]
    public void The_one_connection_string_key_reaches_the_journal_and_the_snapshot_store()
    {
        var config = ServeConfiguration.Load(Options($"akkawal.postgres.connection-string=\"{ConnectionString}\""), new Dictionary<string, string>());

        Assert.Equal(ConnectionString, config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal(ConnectionString, config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
        Assert.Equal("akka.persistence.journal.sql", config.GetString("akkawal.transactions.journal-plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akkawal.transactions.snapshot-plugin"));
        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
    }

    [Fact]
    public void The_connection_string_can_come_from_the_environment()
    {
        var environment = new Dictionary<string, string> { ["AKKAWAL__AKKAWAL__POSTGRES__CONNECTION_STRING"] = ConnectionString };

        var config = ServeConfiguration.Load(Options(), environment);

        Assert.Equal(ConnectionString, config.GetString("akka.persistence.journal.sql.connection-string"));
    }

    [Fact]
    public void Cluster_mode_without_a_connection_string_is_refused_naming_the_key()
    {
        var error = Assert.Throws<AkkaWalConfigException>(() => ServeConfiguration.Load(Options(), new Dictionary<string, string>()));

        Assert.Contains(error.Problems, p => p.StartsWith("akka.persistence.journal.sql.connection-string is empty", StringComparison.Ordinal)
                                             && p.Contains("akkawal.postgres.connection-string", StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_postgres_key_is_refused_naming_it()
    {
        var error = Assert.Throws<AkkaWalConfigException>(() => ServeConfiguration.Load(
            Options($"akkawal.postgres.conection-string=\"{ConnectionString}\""), new Dictionary<string, string>()));

        Assert.Contains(error.Problems, p => p.StartsWith("akkawal.postgres.conection-string is not a known key", StringComparison.Ordinal));
    }

    [Fact]
    public void Cluster_mode_on_the_local_AkkaWal_journal_is_refused()
    {
        // Each node's own disk: a pipeline that moves to another node would not find its partitions.
        var error = Assert.Throws<AkkaWalConfigException>(() => ServeConfiguration.Load(Options(
                "akka.actor.provider=cluster",
                "akkawal.transactions.journal-plugin=akka.persistence.journal.wal",
                "akkawal.transactions.snapshot-plugin=akka.persistence.snapshot-store.wal",
                $"akkawal.postgres.connection-string=\"{ConnectionString}\""),
            new Dictionary<string, string>()));

        Assert.Contains(error.Problems, p => p.StartsWith("akkawal.transactions.journal-plugin = 'akka.persistence.journal.wal' is not allowed in cluster mode", StringComparison.Ordinal));
    }
}
