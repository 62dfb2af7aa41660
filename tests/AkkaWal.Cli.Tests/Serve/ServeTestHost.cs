using System.Net.Http.Json;
using System.Text.Json;
using AkkaWal.Cli.Serve;
using AkkaWal.Cli.Serve.Access;
using AkkaWal.Cli.Tests.Hosting;
using Microsoft.AspNetCore.Builder;

namespace AkkaWal.Cli.Tests.Serve;

/// <summary>
/// The real `akkawal serve` host (same configuration loading, same builder) started in the test process on a free
/// loopback port, with an HttpClient pointed at it.
/// </summary>
public sealed class ServeTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServeTestHost(WebApplication app, Uri baseAddress, string dataDirectory)
    {
        _app = app;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Client = NewClient();
    }

    /// <summary>A client without any token (what every caller on loopback gets when no api-token is configured).</summary>
    public HttpClient Client { get; }
    public Uri BaseAddress { get; }
    public string DataDirectory { get; }

    /// <summary>The admin token the host generated at start into DATA/admin-token.</summary>
    public string AdminToken => AdminTokenFile.Read(AdminTokenFile.PathIn(DataDirectory));

    /// <summary>Another client of this host, with <c>Authorization: Bearer <paramref name="token"/></c> when given.</summary>
    public HttpClient NewClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

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
        var app = ServeHost.Build(config, options.Urls, options.DataDirectory);
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
        return new ServeTestHost(app, new Uri(address), dataDirectory);
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
