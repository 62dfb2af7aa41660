using Akka.Configuration;
using AkkaWal.Cli.Hosting.Configuration;

namespace AkkaWal.Cli.Tests.Hosting;

/// <summary>A bad value stops start-up with a message naming the key and what is allowed; one test per key.</summary>
public sealed class ConfigValidationTests
{
    private static string ShippedFile(string relative) => Path.Combine(AppContext.BaseDirectory, "hocon", relative);

    private static IReadOnlyList<string> ProblemsWith(string key, string hoconValue) =>
        AkkaWalConfigValidator.Check(ConfigurationFactory.ParseString($"{key} = {hoconValue}").WithFallback(AkkaWalConfigSources.Reference));

    [Fact]
    public void The_reference_configuration_is_valid() => Assert.Empty(AkkaWalConfigValidator.Check(AkkaWalConfigSources.Reference));

    [Theory]
    [InlineData("akkawal.conf")]
    [InlineData("examples/default-durable.conf")]
    [InlineData("examples/interval-fsync.conf")]
    [InlineData("examples/large-segment-archive.conf")]
    public void Every_shipped_configuration_file_is_valid(string file)
    {
        var config = AkkaWalConfigSources.Layer(AkkaWalConfigSources.LoadFile(ShippedFile(file)), null);
        Assert.Empty(AkkaWalConfigValidator.Check(config));
    }

    [Theory]
    [InlineData("akka.persistence.journal.wal.directory", "\"\"", "a non-empty string")]
    [InlineData("akka.persistence.journal.wal.segment-size", "-1", "a byte size from 4096")]
    [InlineData("akka.persistence.journal.wal.segment-size", "lots", "a byte size")]
    [InlineData("akka.persistence.journal.wal.durability", "sometimes", "one of always, interval, none")]
    [InlineData("akka.persistence.journal.wal.fsync-interval", "0ms", "a positive duration")]
    [InlineData("akka.persistence.journal.wal.max-group-bytes", "3GiB", "to 2147483647 bytes")]
    [InlineData("akka.persistence.journal.wal.max-record-size", "abc", "a byte size")]
    [InlineData("akka.persistence.journal.wal.recovery-mode", "lenient", "one of tolerate-corrupted-tail, absolute-consistency, point-in-time, skip-corrupted")]
    [InlineData("akka.persistence.journal.wal.replay-timeout", "forever", "a positive duration")]
    [InlineData("akka.persistence.journal.wal.compaction.interval", "often", "a positive duration such as 10ms or 5m, or off")]
    [InlineData("akka.persistence.journal.wal.compaction.dead-bytes-threshold", "-5", "a byte size from 0")]
    [InlineData("akka.persistence.snapshot-store.wal.directory", "\"  \"", "a non-empty string")]
    [InlineData("akka.persistence.snapshot-store.wal.max-load-attempts", "0", "a whole number from 1")]
    [InlineData("akka.persistence.query.journal.wal.write-plugin", "\"\"", "a non-empty string")]
    [InlineData("akka.persistence.query.journal.wal.refresh-interval", "0s", "a positive duration")]
    [InlineData("akka.persistence.query.journal.wal.max-buffer-size", "-1", "a whole number from 1")]
    [InlineData("akkawal.transactions.journal-plugin", "\"\"", "a non-empty string")]
    [InlineData("akkawal.transactions.journal-plugin", "akka.persistence.journal.nope", "the id of a configured plugin")]
    [InlineData("akkawal.transactions.snapshot-plugin", "akka.persistence.snapshot-store.nope", "the id of a configured plugin")]
    [InlineData("akkawal.transactions.persistence-id-prefix", "\"\"", "a non-empty string")]
    [InlineData("akkawal.transactions.partitions", "0", "a whole number from 1 to 4096")]
    [InlineData("akkawal.transactions.partitions", "5000", "a whole number from 1 to 4096")]
    [InlineData("akkawal.transactions.max-changes-bytes", "1", "a whole number from 2")]
    [InlineData("akkawal.transactions.in-doubt.policy", "maybe", "one of keep, abort-after-timeout")]
    [InlineData("akkawal.transactions.in-doubt.timeout", "soon", "a positive duration")]
    [InlineData("akkawal.transactions.compaction.interval", "weekly", "a positive duration such as 10ms or 5m, or off")]
    [InlineData("akkawal.transactions.compaction.min-records", "-1", "a whole number from 0")]
    [InlineData("akkawal.transactions.redelivery-interval", "0s", "a positive duration")]
    [InlineData("akkawal.transactions.redelivery-interval", "2m", "must be shorter than akkawal.transactions.internal-ask-timeout")]
    [InlineData("akkawal.transactions.max-outstanding-requests", "0", "a whole number from 1")]
    [InlineData("akkawal.host.slow-fsync-threshold", "0ms", "a positive duration")]
    [InlineData("akkawal.host.min-free-disk-space", "-1", "a byte size from 0")]
    [InlineData("akkawal.host.request-timeout", "never", "a positive duration")]
    [InlineData("akkawal.host.shutdown-timeout", "{ a = 1 }", "a single value")]
    // The plugin refuses these at open, so the host refuses them before it starts (one rule, in the plugin's reader).
    [InlineData("akka.persistence.journal.wal.compaction.interval", "0s", "a positive duration such as 10ms or 5m, or off")]
    [InlineData("akka.persistence.journal.wal.segment-size", "2048", "a byte size from 4096")]
    [InlineData("akka.persistence.journal.wal.max-group-bytes", "100", "MaxGroupBytes must be between 4096")]
    public void A_bad_value_is_one_problem_naming_the_key_the_value_and_what_is_allowed(string key, string value, string allowed)
    {
        var problems = ProblemsWith(key, value);

        var problem = Assert.Single(problems);
        Assert.StartsWith(key + " ", problem);
        Assert.Contains(allowed, problem);
    }

    [Fact]
    public void An_unknown_key_in_an_akkawal_section_is_named_with_the_known_keys()
    {
        var problem = Assert.Single(ProblemsWith("akka.persistence.journal.wal.durabilty", "always"));

        Assert.StartsWith("akka.persistence.journal.wal.durabilty is not a known key", problem);
        Assert.Contains("durability", problem);
    }

    [Fact]
    public void A_record_limit_above_the_segment_size_names_both_keys()
    {
        var config = ConfigurationFactory.ParseString("""
            akka.persistence.journal.wal { segment-size = 1MiB, max-record-size = 2MiB }
            """).WithFallback(AkkaWalConfigSources.Reference);

        var problem = Assert.Single(AkkaWalConfigValidator.Check(config));
        Assert.Contains("akka.persistence.journal.wal.max-record-size", problem);
        Assert.Contains("akka.persistence.journal.wal.segment-size", problem);
    }

    [Fact]
    public void Every_bad_key_is_reported_at_once_in_the_exception()
    {
        var config = ConfigurationFactory.ParseString("""
            akka.persistence.journal.wal.durability = sometimes
            akkawal.transactions.partitions = 0
            akkawal.host.request-timeout = never
            """).WithFallback(AkkaWalConfigSources.Reference);

        var e = Assert.Throws<AkkaWalConfigException>(() => AkkaWalConfigValidator.Validate(config));
        Assert.Equal(3, e.Problems.Count);
        Assert.Contains("akka.persistence.journal.wal.durability", e.Message);
        Assert.Contains("akkawal.transactions.partitions", e.Message);
        Assert.Contains("akkawal.host.request-timeout", e.Message);
    }

    [Fact]
    public void A_journal_section_under_another_id_is_checked_too()
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.orders {
              class = "{{AkkaWalConfigValidator.JournalClass}}"
              directory = "/tmp/orders"
              durability = eventually
            }
            """).WithFallback(AkkaWalConfigSources.Reference);

        var problems = AkkaWalConfigValidator.Check(config);

        Assert.Contains(problems, p => p.StartsWith("akka.persistence.journal.orders.durability = \"eventually\" is invalid"));
    }

    [Fact]
    public void A_file_that_is_not_hocon_names_the_file()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "broken.conf");
        File.WriteAllText(file, "akkawal.host.request-timeout = ${undefined.key}\n");

        var e = Assert.Throws<AkkaWalConfigException>(() => AkkaWalConfigSources.LoadFile(file));

        Assert.Contains(file, e.Message);
        Assert.Contains("undefined.key", e.Message);
    }

    [Fact]
    public void A_missing_file_names_the_file()
    {
        var e = Assert.Throws<AkkaWalConfigException>(() => AkkaWalConfigSources.LoadFile("/nonexistent/akkawal.conf"));
        Assert.Contains("/nonexistent/akkawal.conf does not exist", e.Message);
    }

    [Fact]
    public void A_set_without_equals_sign_is_refused()
    {
        var e = Assert.Throws<AkkaWalConfigException>(() => AkkaWalConfigSources.Overrides(null, null, [], ["akkawal.host.request-timeout"]));
        Assert.Contains("must be key=value", e.Message);
    }

    [Fact]
    public void The_journal_reader_reports_every_bad_key_in_one_exception()
    {
        var section = ConfigurationFactory.ParseString("""
            durability = sometimes
            max-group-bytes = 100
            compaction.interval = 0s
            segment-size = 1000
            """);

        var e = Assert.Throws<AkkaWal.Persistence.Configuration.WalConfigurationException>(() =>
            AkkaWal.Persistence.Configuration.JournalSettings.Create(section, "akka.persistence.journal.wal"));

        Assert.Equal(4, e.Problems.Count);
        foreach (var key in new[] { "durability", "max-group-bytes", "compaction.interval", "segment-size" })
            Assert.Contains(e.Problems, p => p.StartsWith("akka.persistence.journal.wal." + key));
    }

    [Fact]
    public void The_pipeline_reader_reports_every_bad_key_in_one_exception()
    {
        var section = ConfigurationFactory.ParseString("partitions = 0\nin-doubt.policy = maybe\ncompaction.min-records = -1");

        var e = Assert.Throws<AkkaWal.Persistence.Configuration.WalConfigurationException>(() => AkkaWal.Transactions.TransactionSettings.Create(section));

        Assert.Equal(3, e.Problems.Count);
    }
}
