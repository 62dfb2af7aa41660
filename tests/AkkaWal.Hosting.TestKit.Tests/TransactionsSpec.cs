using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Hosting.TestKit.Tests;

public sealed class TransactionsSpec : WalHostSpec
{
    private static Dictionary<string, JsonElement> Changes(params (string Key, object Value)[] changes) =>
        changes.ToDictionary(c => c.Key, c => JsonSerializer.SerializeToElement(c.Value));

    private async Task<T> Ask<T>(IActorRef coordinator, object command) => await coordinator.Ask<T>(command, WalHost.Patience, TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_coordinator_is_in_the_ActorRegistry_and_prepare_commit_read_works()
    {
        var coordinator = await ActorRegistry.GetAsync<TransactionCoordinator>(TestContext.Current.CancellationToken);

        Assert.IsType<Prepared>(await Ask<object>(coordinator, new Prepare("t1", Changes(("balance", 10), ("owner", "ann")))));
        // Prepared is not committed: readers do not see it yet.
        Assert.False((await Ask<ReadResult>(coordinator, new Read("balance"))).Found);
        Assert.Equal(TransactionStatus.Prepared, (await Ask<TransactionInfo>(coordinator, new GetTransaction("t1"))).Status);

        Assert.IsType<Committed>(await Ask<object>(coordinator, new Commit("t1")));

        var balance = await Ask<ReadResult>(coordinator, new Read("balance"));
        Assert.True(balance.Found);
        Assert.Equal(10, balance.Value!.Value.GetInt32());
        var both = await Ask<ReadKeysResult>(coordinator, new ReadKeys(["balance", "owner", "missing"]));
        Assert.Equal(["balance", "owner"], both.Values.Keys.Order());
        Assert.Equal("ann", both.Values["owner"].GetString());
        Assert.Equal(TransactionStatus.Committed, (await Ask<TransactionInfo>(coordinator, new GetTransaction("t1"))).Status);
    }

    [Fact]
    public async Task Committed_values_survive_a_fresh_host_and_its_registry_holds_a_new_coordinator()
    {
        var coordinator = await ActorRegistry.GetAsync<TransactionCoordinator>(TestContext.Current.CancellationToken);
        Assert.IsType<Prepared>(await Ask<object>(coordinator, new Prepare("t1", Changes(("k", 1)))));
        Assert.IsType<Committed>(await Ask<object>(coordinator, new Commit("t1")));
        Assert.IsType<Prepared>(await Ask<object>(coordinator, new Prepare("t2", Changes(("k", 2)))));

        await StopHostAsync();

        await using var reopened = await ReopenedHost.StartAsync(Data.Path);
        var recovered = await reopened.ActorRegistry.GetAsync<TransactionCoordinator>(TestContext.Current.CancellationToken);
        var read = await Ask<ReadResult>(recovered, new Read("k"));
        Assert.Equal(1, read.Value!.Value.GetInt32());
        var inDoubt = await Ask<InDoubtTransactions>(recovered, GetInDoubt.Instance);
        Assert.Equal(["t2"], inDoubt.Transactions.Select(t => t.TxId));
    }

    /// <summary>A service of the user's app that gets the coordinator the Akka.Hosting way: injected, not looked up.</summary>
    private sealed class Teller(IRequiredActor<TransactionCoordinator> coordinator)
    {
        public Task<IActorRef> CoordinatorAsync(CancellationToken ct) => coordinator.GetAsync(ct);
    }

    [Fact]
    public async Task IRequiredActor_of_the_coordinator_is_injected_and_commits()
    {
        var teller = ActivatorUtilities.CreateInstance<Teller>(Host.Services);

        var coordinator = await teller.CoordinatorAsync(TestContext.Current.CancellationToken);

        Assert.Equal(await ActorRegistry.GetAsync<TransactionCoordinator>(TestContext.Current.CancellationToken), coordinator);
        Assert.IsType<Prepared>(await Ask<object>(coordinator, new Prepare("t1", Changes(("k", 7)))));
        Assert.IsType<Committed>(await Ask<object>(coordinator, new Commit("t1")));
        Assert.Equal(7, (await Ask<ReadResult>(coordinator, new Read("k"))).Value!.Value.GetInt32());
    }
}
