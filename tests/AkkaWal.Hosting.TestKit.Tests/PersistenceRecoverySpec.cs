using Akka.Actor;

namespace AkkaWal.Hosting.TestKit.Tests;

public sealed class PersistenceRecoverySpec : WalHostSpec
{
    [Fact]
    public async Task Events_persisted_in_one_host_are_recovered_by_a_fresh_host_on_the_same_directory()
    {
        var notebook = Sys.ActorOf(Notebook.Props("nb-restart"));
        await notebook.Ask<string[]>(new Notebook.Write("one"), WalHost.Patience, TestContext.Current.CancellationToken);
        await notebook.Ask<string[]>(new Notebook.Write("two"), WalHost.Patience, TestContext.Current.CancellationToken);
        Assert.Equal(["one", "two", "three"], await notebook.Ask<string[]>(new Notebook.Write("three"), WalHost.Patience, TestContext.Current.CancellationToken));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Data.Path, "journal"), "*.wal"));

        await StopHostAsync();

        await using var reopened = await ReopenedHost.StartAsync(Data.Path);
        var recovered = reopened.Sys.ActorOf(Notebook.Props("nb-restart"));
        Assert.Equal(["one", "two", "three"], await recovered.Ask<string[]>(new Notebook.Read(), WalHost.Patience, TestContext.Current.CancellationToken));
        // Recovery continues the sequence: a new write lands after the recovered ones.
        Assert.Equal(["one", "two", "three", "four"], await recovered.Ask<string[]>(new Notebook.Write("four"), WalHost.Patience, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_fresh_host_recovers_nothing_for_a_persistence_id_that_was_never_written()
    {
        var notebook = Sys.ActorOf(Notebook.Props("nb-written"));
        await notebook.Ask<string[]>(new Notebook.Write("kept"), WalHost.Patience, TestContext.Current.CancellationToken);

        await StopHostAsync();

        await using var reopened = await ReopenedHost.StartAsync(Data.Path);
        var other = reopened.Sys.ActorOf(Notebook.Props("nb-never-written"));
        Assert.Empty(await other.Ask<string[]>(new Notebook.Read(), WalHost.Patience, TestContext.Current.CancellationToken));
    }
}
