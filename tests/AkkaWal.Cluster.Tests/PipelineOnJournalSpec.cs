using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using AkkaWal.Cli.Hosting.Configuration;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Cluster.Tests;

/// <summary>
/// The pipeline's core scenarios through its public commands and replies, run once per journal: the subclasses differ
/// only in the configuration they hand the ActorSystem (the local AkkaWal journal; Akka.Persistence.Sql on a real
/// PostgreSQL, configured by hocon/examples/cluster-postgres.conf with one key set). No pipeline code knows which.
/// </summary>
public abstract class PipelineOnJournalSpec : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _prefix = "tx-" + Guid.NewGuid().ToString("N")[..12] + "-";
    private readonly List<ActorSystem> _systems = [];
    private Config _stores = ConfigurationFactory.Empty;

    /// <summary>The journal and snapshot store the pipeline runs on, as configuration.</summary>
    protected abstract Task<Config> StoresAsync();

    public async Task InitializeAsync() => _stores = await StoresAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var system in _systems) await system.Terminate();
    }

    [Fact]
    public async Task Prepare_commit_and_read()
    {
        var coordinator = Start();
        Assert.Equal(new Prepared("t1"), await Ask(coordinator, new Prepare("t1", Changes(("a", 1), ("b", "two")))));
        Assert.False(((ReadResult)await Ask(coordinator, new Read("a"))).Found); // prepared is not visible yet
        Assert.Equal(new Committed("t1"), await Ask(coordinator, new Commit("t1")));
        Assert.Equal(new AlreadyCommitted("t1"), await Ask(coordinator, new Commit("t1")));
        var read = (ReadKeysResult)await Ask(coordinator, new ReadKeys(["a", "b"]));
        Assert.Equal(1, read.Values["a"].GetInt32());
        Assert.Equal("two", read.Values["b"].GetString());
        await AssertStoredAsync(_prefix);
    }

    /// <summary>Checks, in the store itself, that the pipeline's records for <paramref name="persistenceIdPrefix"/> are there.</summary>
    protected virtual Task AssertStoredAsync(string persistenceIdPrefix) => Task.CompletedTask;

    [Fact]
    public async Task Abort_drops_the_changes()
    {
        var coordinator = Start();
        await Ask(coordinator, new Prepare("t2", Changes(("c", 3))));
        Assert.Equal(new Aborted("t2"), await Ask(coordinator, new Abort("t2")));
        var commit = Assert.IsType<TransactionRejected>(await Ask(coordinator, new Commit("t2")));
        Assert.Equal(RejectionReason.TransactionAborted, commit.Reason);
        Assert.False(((ReadResult)await Ask(coordinator, new Read("c"))).Found);
    }

    [Fact]
    public async Task A_restart_recovers_commits_and_in_doubt_transactions()
    {
        var first = Start();
        await Ask(first, new Prepare("t3", Changes(("d", 4))));
        await Ask(first, new Commit("t3"));
        await Ask(first, new Prepare("t4", Changes(("e", 5))));
        await Ask(first, new Prepare("t5", Changes(("f", 6))));
        await Ask(first, new Abort("t5"));
        // A snapshot of every partition with records (the snapshot store is part of what moves to the database).
        Assert.True(((CompactionReport)await Ask(first, CompactNow.Instance)).PartitionsCompacted > 0);
        await Ask(first, new Prepare("t6", Changes(("g", 7)))); // after the snapshot: replayed from the journal
        await _systems[0].Terminate();

        var second = Start();
        Assert.Equal(4, ((ReadResult)await Ask(second, new Read("d"))).Value!.Value.GetInt32());
        var inDoubt = (TransactionInfo)await Ask(second, new GetTransaction("t4"));
        Assert.Equal(TransactionStatus.Prepared, inDoubt.Status);
        Assert.Equal(TransactionStatus.Aborted, ((TransactionInfo)await Ask(second, new GetTransaction("t5"))).Status);
        Assert.Equal(new Committed("t4"), await Ask(second, new Commit("t4")));
        Assert.Equal(5, ((ReadResult)await Ask(second, new Read("e"))).Value!.Value.GetInt32());
        Assert.Equal(new Committed("t6"), await Ask(second, new Commit("t6")));
    }

    private IActorRef Start()
    {
        var config = ConfigurationFactory.ParseString($$"""
                akka.loglevel = WARNING
                akkawal.transactions {
                  persistence-id-prefix = "{{_prefix}}"
                  partitions = 4
                  compaction.interval = off
                  compaction.min-records = 0
                }
                """)
            .WithFallback(_stores)
            .WithFallback(TransactionsConfig.Default);
        var system = ActorSystem.Create("pipeline", config);
        _systems.Add(system);
        return system.StartTransactions();
    }

    private static Task<object> Ask(IActorRef coordinator, object command) => coordinator.Ask<object>(command, Timeout);

    private static Dictionary<string, JsonElement> Changes(params (string Key, object Value)[] changes) =>
        changes.ToDictionary(c => c.Key, c => JsonSerializer.SerializeToElement(c.Value));
}

/// <summary>On the local AkkaWal journal and snapshot store (the default).</summary>
public sealed class PipelineOnAkkaWalJournal : PipelineOnJournalSpec
{
    private readonly TempDirectory _directory = new("akkawal-tx-");

    protected override Task<Config> StoresAsync() => Task.FromResult(TransactionsConfig.OnWal(_directory.Path));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync(); // terminates the systems before their files go
        _directory.Dispose();
    }
}

/// <summary>On Akka.Persistence.Sql and a real PostgreSQL, with exactly the example's configuration and its one key.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PipelineOnPostgres(PostgresServer postgres) : PipelineOnJournalSpec
{
    private string _connectionString = "";

    protected override async Task<Config> StoresAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("pipeline");
        return ClusterPostgresExample.Load(_connectionString, ("akka.actor.provider", "local"));
    }

    protected override async Task AssertStoredAsync(string persistenceIdPrefix)
    {
        // The schema was created by auto-initialize; the shares' prepares, the decision and the shares' resolutions are
        // rows of its journal table.
        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand(
            "SELECT manifest FROM journal WHERE persistence_id LIKE @prefix ORDER BY ordering", connection);
        query.Parameters.AddWithValue("prefix", persistenceIdPrefix + "%");
        var manifests = new List<string>();
        await using (var reader = await query.ExecuteReaderAsync())
            while (await reader.ReadAsync()) manifests.Add(reader.GetString(0));
        Assert.Contains("tx-share-prepared.v1", manifests);
        Assert.Single(manifests, m => m == "tx-decided.v1");
    }
}

/// <summary>On PostgreSQL with the schema made by hand from hocon/examples/cluster-postgres.sql and auto-initialize off:
/// the documented script is what the plugins need.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PipelineOnPostgresWithHandMadeSchema(PostgresServer postgres) : PipelineOnJournalSpec
{
    protected override async Task<Config> StoresAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync("schema");
        await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            var script = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(ClusterPostgresExample.Path)!, "cluster-postgres.sql"));
            await using var create = new Npgsql.NpgsqlCommand(script, connection);
            await create.ExecuteNonQueryAsync();
        }
        return ClusterPostgresExample.Load(connectionString, ("akka.actor.provider", "local"),
            ("akka.persistence.journal.sql.auto-initialize", "off"), ("akka.persistence.snapshot-store.sql.auto-initialize", "off"));
    }
}

/// <summary>hocon/examples/cluster-postgres.conf as `akkawal serve` layers it, with the connection string set.</summary>
public static class ClusterPostgresExample
{
    public static string Path => ClusterNode.ExampleConfigPath;

    public static Config Load(string connectionString, params (string Key, string Value)[] settings) =>
        AkkaWalConfigSources.LoadFile(Path,
            settings.Select(s => KeyValuePair.Create(s.Key, s.Value))
                .Append(KeyValuePair.Create("akkawal.postgres.connection-string", connectionString)));
}
