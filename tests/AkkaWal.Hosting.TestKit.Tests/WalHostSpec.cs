using Akka.Hosting;
using Akka.Persistence.Hosting;

namespace AkkaWal.Hosting.TestKit.Tests;

/// <summary>
/// An Akka.Hosting.TestKit spec whose host runs AkkaWal (journal, snapshot store, read journal and transactions) on a
/// temp directory of its own. xunit creates one instance per test, so every test gets a fresh host and directory.
/// </summary>
public abstract class WalHostSpec() : Akka.Hosting.TestKit.TestKit(startupTimeout: WalHost.Patience), IAsyncDisposable
{
    protected TempDirectory Data { get; } = new("akkawal-testkit-");

    /// <summary>Event adapters (the journal builder) for specs that need them.</summary>
    protected virtual void ConfigureJournal(AkkaPersistenceJournalBuilder journal)
    {
    }

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        WalHost.Configure(builder, Data.Path, ConfigureJournal);

    /// <summary>Stops this spec's host and waits until its ActorSystem has terminated, which closes the journal and
    /// releases the directory lock, so another host can open the same directory.</summary>
    protected async Task StopHostAsync()
    {
        var system = Sys;
        await Host.StopAsync(TestContext.Current.CancellationToken);
        await system.WhenTerminated;
    }

    // Re-implemented so the directory is deleted only after the TestKit has stopped the host (the journal holds its
    // files open and locked until then); the TestKit's own DisposeAsync is not virtual.
    public new async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            Data.Dispose();
        }
    }
}
