using System.Text.Json;
using Akka.Actor;
using AkkaWal.Persistence.Hosting;
using AkkaWal.Transactions.Hosting;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Hosting.Tests;

public sealed class TransactionsHostingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static Dictionary<string, JsonElement> Changes(string key, object value) =>
        new() { [key] = JsonSerializer.SerializeToElement(value) };

    [Fact]
    public async Task The_coordinator_is_in_the_registry_and_commits_survive_a_host_restart()
    {
        using var data = new TempDirectory();
        await using (var host = await AkkaHost.StartAsync(b => b.WithWalPersistence(data.Path).WithAkkaWalTransactions(o => o.Partitions = 3)))
        {
            var coordinator = await host.Registry.GetAsync<TransactionCoordinator>();
            Assert.IsType<Prepared>(await coordinator.Ask<object>(new Prepare("t1", Changes("k", 1)), Timeout));
            Assert.IsType<Committed>(await coordinator.Ask<object>(new Commit("t1"), Timeout));
            Assert.IsType<Prepared>(await coordinator.Ask<object>(new Prepare("t2", Changes("k2", 2)), Timeout));
        }

        await using (var host = await AkkaHost.StartAsync(b => b.WithWalPersistence(data.Path).WithAkkaWalTransactions(o => o.Partitions = 3)))
        {
            var coordinator = await host.Registry.GetAsync<TransactionCoordinator>();
            var read = await coordinator.Ask<ReadResult>(new Read("k"), Timeout);
            Assert.True(read.Found);
            Assert.Equal(1, read.Value!.Value.GetInt32());
            var inDoubt = await coordinator.Ask<InDoubtTransactions>(GetInDoubt.Instance, Timeout);
            Assert.Equal(["t2"], inDoubt.Transactions.Select(t => t.TxId));
        }
    }

    [Fact]
    public async Task Every_option_maps_to_its_key_and_the_pipeline_reads_it_back()
    {
        await using var host = await AkkaHost.StartAsync(b => b.WithAkkaWalTransactions(o =>
        {
            o.JournalPluginId = "akka.persistence.journal.inmem";
            o.SnapshotPluginId = "akka.persistence.snapshot-store.local";
            o.PersistenceIdPrefix = "p-";
            o.Partitions = 5;
            o.MaxChangesBytes = 4096;
            o.InDoubtPolicy = InDoubtPolicy.AbortAfterTimeout;
            o.InDoubtTimeout = TimeSpan.FromMinutes(3);
            o.CompactionInterval = TimeSpan.Zero;
            o.CompactionMinRecords = 42;
            o.DecidedRetentionMaxCount = 77;
            o.DecidedRetentionMaxAge = TimeSpan.FromHours(2);
            o.RecoveryStashLimit = 9;
            o.RedeliveryInterval = TimeSpan.FromMilliseconds(700);
            o.MaxOutstandingRequests = 33;
            o.ActorName = "tx";
        }));

        var settings = TransactionSettings.Create(host.System);

        Assert.Equal(new TransactionSettings("akka.persistence.journal.inmem", "akka.persistence.snapshot-store.local", "p-", 5, 4096,
            InDoubtPolicy.AbortAfterTimeout, TimeSpan.FromMinutes(3), TimeSpan.Zero, 42, 77, TimeSpan.FromHours(2), 9,
            settings.LocatorCacheSize, settings.RedriveInterval, settings.InternalAskTimeout, TimeSpan.FromMilliseconds(700), 33, ""), settings);
        var coordinator = await host.Registry.GetAsync<TransactionCoordinator>();
        Assert.Equal("tx", coordinator.Path.Name);
        var rejected = await coordinator.Ask<TransactionRejected>(new Prepare("big", Changes("k", new string('x', 5000))), Timeout);
        Assert.Equal(RejectionReason.InvalidChanges, rejected.Reason);
    }
}
