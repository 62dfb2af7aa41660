using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AkkaWal.Hosting.Tests;

/// <summary>A real generic host with Akka.Hosting (what a user's app is), configured by the test.</summary>
public sealed class AkkaHost : IAsyncDisposable
{
    private readonly IHost _host;

    private AkkaHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;
    public ActorSystem System => _host.Services.GetRequiredService<ActorSystem>();
    public ActorRegistry Registry => _host.Services.GetRequiredService<ActorRegistry>();

    public static async Task<AkkaHost> StartAsync(Action<AkkaConfigurationBuilder> configure, Action<IServiceCollection>? services = null)
    {
        var host = new HostBuilder()
            .ConfigureServices(s =>
            {
                s.AddAkka("hosting-test", (builder, _) =>
                {
                    builder.AddHocon("akka.loglevel = INFO", HoconAddMode.Append);
                    configure(builder);
                });
                services?.Invoke(s);
            })
            .Build();
        await host.StartAsync();
        return new AkkaHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
