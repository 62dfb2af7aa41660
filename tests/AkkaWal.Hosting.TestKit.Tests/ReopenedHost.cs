using Akka.Hosting;
using Akka.Persistence.Hosting;

namespace AkkaWal.Hosting.TestKit.Tests;

/// <summary>A second, fresh TestKit host on a directory another host wrote (and released): what a restarted process
/// sees. It does not own the directory; the spec that made it deletes it.</summary>
public sealed class ReopenedHost(string dataDirectory, Action<AkkaPersistenceJournalBuilder>? journal = null)
    : Akka.Hosting.TestKit.TestKit(actorSystemName: "reopened", startupTimeout: WalHost.Patience)
{
    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        WalHost.Configure(builder, dataDirectory, journal);

    public static async Task<ReopenedHost> StartAsync(string dataDirectory, Action<AkkaPersistenceJournalBuilder>? journal = null)
    {
        var host = new ReopenedHost(dataDirectory, journal);
        try
        {
            await host.InitializeAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }
}
