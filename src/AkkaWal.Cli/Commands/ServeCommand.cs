using System.CommandLine;
using AkkaWal.Cli.Serve;
using AkkaWal.Cli.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace AkkaWal.Cli.Commands;

/// <summary>`akkawal serve`: the transaction service over HTTP on the WAL.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config")
        {
            Description = $"HOCON file to load (default: {ServeOptions.DefaultConfigFile} in the working directory, else the copy next to the binary). " +
                          "Layering: reference < this file < appsettings.json < AKKAWAL__ environment variables < --data/--set.",
        };
        var data = new Option<string>("--data") { Description = "Data directory: the journal in DIR/journal, snapshots in DIR/snapshots.", DefaultValueFactory = _ => "./data" };
        var urls = new Option<string>("--urls") { Description = "Where HTTP listens (ASP.NET Core URL list; port 0 picks a free port).", DefaultValueFactory = _ => ServeOptions.DefaultUrls };
        var set = new Option<string[]>("--set")
        {
            Description = "Set a configuration key, highest priority; repeatable: --set akka.persistence.journal.wal.durability=interval",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("serve",
            "Run the AkkaWal transaction service: POST /transactions, POST /transactions/{id}/commit|abort, GET /transactions/{id}, " +
            "GET /transactions?state=in-doubt, GET /state/{key}, POST /admin/compact, GET /health, GET /metrics. A 2xx to prepare, " +
            "commit or abort means the record is durable. POST bodies must be application/json; the Host header must name this host; " +
            "/admin/* needs the admin token (DATA/admin-token unless akkawal.host.admin-token is set); beyond loopback every " +
            "endpoint needs akkawal.host.api-token. SIGTERM drains requests, then flushes and closes the WAL. " +
            "Exit codes: 0 stopped cleanly, 2 bad configuration (each bad key named), 3 could not start (address in use, WAL locked or corrupt).")
        {
            config, data, urls, set,
        };
        command.SetAction((parsed, ct) => RunAsync(new ServeOptions
        {
            ConfigFile = parsed.GetValue(config),
            DataDirectory = parsed.GetValue(data)!,
            Urls = parsed.GetValue(urls)!,
            Settings = parsed.GetValue(set) ?? [],
        }, parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, ct));
        return command;
    }

    private static async Task<int> RunAsync(ServeOptions options, TextWriter output, TextWriter error, CancellationToken ct)
    {
        Akka.Configuration.Config config;
        try
        {
            // Before the process-wide Serilog logger is set: a refused start leaves logging as it found it.
            config = ServeConfiguration.Load(options);
            ServeHost.CheckAccess(config, options.Urls);
        }
        catch (AkkaWalConfigException e)
        {
            await error.WriteLineAsync("akkawal serve: " + e.Message);
            return ExitCodes.Usage;
        }
        ServeHost.ConfigureSerilog();
        try
        {
            await using var app = ServeHost.Build(config, options.Urls, options.DataDirectory);
            await app.StartAsync(ct);
            try
            {
                await LayoutStartupCheck.EnsureAsync(app.Services, ct);
            }
            catch
            {
                await app.StopAsync(CancellationToken.None);
                throw;
            }
            // One line the demo and the tests wait for: the real address (also with port 0).
            await output.WriteLineAsync("akkawal serve: listening on " + string.Join(", ", ServeHost.Addresses(app)));
            await output.FlushAsync(ct);
            await app.WaitForShutdownAsync(CancellationToken.None);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Akka.Actor.AskTimeoutException or
                                      Akka.Configuration.ConfigurationException or AkkaWal.Storage.WalException)
        {
            Log.Fatal(e, "akkawal serve could not start");
            await error.WriteLineAsync("akkawal serve: could not start: " + e.Message);
            return ExitCodes.CouldNotRun;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }
}
