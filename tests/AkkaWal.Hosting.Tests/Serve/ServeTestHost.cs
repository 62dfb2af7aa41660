using System.Net.Http.Json;
using System.Text.Json;
using AkkaWal.Cli.Serve;
using AkkaWal.Hosting.Tests.Hosting;
using Microsoft.AspNetCore.Builder;

namespace AkkaWal.Hosting.Tests.Serve;

/// <summary>
/// The real `akkawal serve` host (same configuration loading, same builder) started in the test process on a free
/// loopback port, with an HttpClient pointed at it.
/// </summary>
public sealed class ServeTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServeTestHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    /// <summary>Starts a host on <paramref name="dataDirectory"/> with the shipped akkawal.conf, the test journal
    /// settings and <paramref name="settings"/> (highest priority).</summary>
    public static async Task<ServeTestHost> StartAsync(string dataDirectory, params string[] settings)
    {
        TestLog.Install();
        var options = new ServeOptions
        {
            ConfigFile = Path.Combine(AppContext.BaseDirectory, ServeOptions.DefaultConfigFile),
            DataDirectory = dataDirectory,
            Urls = "http://127.0.0.1:0",
            Settings = TestJournal.Settings.Concat(settings).ToArray(),
        };
        var config = ServeConfiguration.Load(options, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource(), appSettingsFile: null);
        var app = ServeHost.Build(config, options.Urls);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync(); // a failed start must not leave an ActorSystem or a listening socket behind
            throw;
        }
        var address = ServeHost.Addresses(app).Single();
        return new ServeTestHost(app, new Uri(address));
    }

    /// <summary>The graceful stop SIGTERM triggers: Kestrel drains, then the ActorSystem terminates and closes the WAL.</summary>
    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public Task<HttpResponseMessage> PrepareAsync(string? id, object changes) =>
        Client.PostAsJsonAsync("/transactions", id is null ? new { changes } : (object)new { id, changes });

    public Task<HttpResponseMessage> CommitAsync(string id) => Client.PostAsync($"/transactions/{Uri.EscapeDataString(id)}/commit", null);

    public Task<HttpResponseMessage> AbortAsync(string id) => Client.PostAsync($"/transactions/{Uri.EscapeDataString(id)}/abort", null);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
