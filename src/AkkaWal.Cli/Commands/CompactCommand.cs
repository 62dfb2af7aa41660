using System.CommandLine;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using AkkaWal.Cli.Serve;
using AkkaWal.Cli.Serve.Access;
using AkkaWal.Cli.Hosting.Configuration;
using AkkaWal.Persistence.Hosting;
using AkkaWal.Persistence;
using AkkaWal.Storage;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Cli.Commands;

/// <summary>`akkawal compact`: compaction now, through a running host (--url) or offline on a data directory (--data).</summary>
public static class CompactCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "A running `akkawal serve` (e.g. http://127.0.0.1:5080): POST /admin/compact to it." };
        var data = new Option<string?>("--data") { Description = "Offline: the data directory of a stopped host (DIR/journal, DIR/snapshots)." };
        var config = new Option<string?>("--config") { Description = $"Offline: the HOCON file the host runs with (default {ServeOptions.DefaultConfigFile})." };
        var token = new Option<string?>("--token") { Description = "With --url: the host's admin token (akkawal.host.admin-token)." };
        var tokenFile = new Option<string?>("--token-file")
        {
            Description = $"With --url: read the admin token from this file (default: ./data/{AdminTokenFile.FileName}, which the host writes at start when akkawal.host.admin-token is unset).",
        };
        var command = new Command("compact",
            "Snapshot every transaction partition, delete the journal records the snapshots cover, then rewrite sealed " +
            "segments without deleted records. Give --url for a running host or --data for a stopped one (a running host " +
            "holds the lock). Exit codes: 0 done, 1 compaction failed, 2 usage or configuration error, 3 host unreachable or data locked.")
        {
            url, data, config, token, tokenFile,
        };
        command.SetAction((parsed, ct) => RunAsync(parsed.GetValue(url), parsed.GetValue(data), parsed.GetValue(config),
            parsed.GetValue(token), parsed.GetValue(tokenFile), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, ct));
        return command;
    }

    private static async Task<int> RunAsync(string? url, string? data, string? configFile, string? token, string? tokenFile,
        TextWriter output, TextWriter error, CancellationToken ct)
    {
        if ((url is null) == (data is null))
        {
            await error.WriteLineAsync("akkawal compact: give exactly one of --url (running host) and --data (stopped host)");
            return ExitCodes.Usage;
        }
        if (url is null)
            return await OfflineAsync(data!, configFile, output, error);
        var file = tokenFile ?? Path.Combine("data", AdminTokenFile.FileName);
        if (token is null && File.Exists(file))
            token = AdminTokenFile.Read(file);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address))
        {
            await error.WriteLineAsync($"akkawal compact: --url {url} is not an absolute URL such as http://127.0.0.1:5080");
            return ExitCodes.Usage;
        }
        return await OnlineAsync(address, token, file, output, error, ct);
    }

    private static async Task<int> OnlineAsync(Uri url, string? token, string tokenFile, TextWriter output, TextWriter error, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = url, Timeout = Timeout };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsync("/admin/compact", null, ct);
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"akkawal compact: {url} unreachable: {e.Message}");
            return ExitCodes.CouldNotRun;
        }
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            await error.WriteLineAsync(token is null
                ? $"akkawal compact: the host needs its admin token: give --token, or --token-file (no {Path.GetFullPath(tokenFile)})"
                : "akkawal compact: the host refused the admin token (401): it writes a new DATA/admin-token at every start");
            return ExitCodes.Usage;
        }
        if (!response.IsSuccessStatusCode)
        {
            await error.WriteLineAsync($"akkawal compact: {(int)response.StatusCode} {body}");
            return ExitCodes.ProblemsFound;
        }
        var report = JsonDocument.Parse(body).RootElement;
        await output.WriteLineAsync($"compacted: {report.GetProperty("partitionsCompacted")} partitions snapshotted, " +
                                    $"{report.GetProperty("recordsRemoved")} journal records removed; journal dead bytes " +
                                    $"{report.GetProperty("journalDeadBytesBefore")} -> {report.GetProperty("journalDeadBytesAfter")}");
        return ExitCodes.Ok;
    }

    private static async Task<int> OfflineAsync(string data, string? configFile, TextWriter output, TextWriter error)
    {
        Config config;
        try
        {
            config = ServeConfiguration.Load(new ServeOptions { ConfigFile = configFile, DataDirectory = data });
        }
        catch (AkkaWalConfigException e)
        {
            await error.WriteLineAsync("akkawal compact: " + e.Message);
            return ExitCodes.Usage;
        }
        if (!Directory.Exists(WalDataDirectory.Journal(data)))
        {
            await error.WriteLineAsync($"akkawal compact: {Path.GetFullPath(WalDataDirectory.Journal(data))} does not exist: not a data directory");
            return ExitCodes.CouldNotRun;
        }
        var journalId = config.GetString("akkawal.transactions.journal-plugin");
        var system = ActorSystem.Create("akkawal-compact", ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(config));
        try
        {
            WalJournalStartup.OpenAndLog(system, journalId, new Serilog.Extensions.Logging.SerilogLoggerFactory());
            var coordinator = system.StartTransactions();
            var reply = await coordinator.Ask<object>(CompactNow.Instance, Timeout);
            if (reply is not CompactionReport report)
            {
                await error.WriteLineAsync($"akkawal compact: compaction failed: {(reply as Status.Failure)?.Cause.Message ?? reply.ToString()}");
                return ExitCodes.ProblemsFound;
            }
            var journal = await JournalCompaction.RunAsync(system, journalId, Timeout, CancellationToken.None);
            await output.WriteLineAsync($"compacted: {report.PartitionsCompacted} partitions snapshotted, {report.RecordsRemoved} journal " +
                                        "records removed; " + (journal.SkippedBecause is { } skipped
                                            ? $"journal compaction skipped: {skipped}"
                                            : $"journal dead bytes {journal.DeadBytesBefore} -> {journal.DeadBytesAfter}"));
            return ExitCodes.Ok;
        }
        catch (WalLockedException e)
        {
            await error.WriteLineAsync($"akkawal compact: {e.Message}; the host is running: use --url");
            return ExitCodes.CouldNotRun;
        }
        catch (WalException e)
        {
            await error.WriteLineAsync("akkawal compact: " + e.Message);
            return ExitCodes.CouldNotRun;
        }
        finally
        {
            await system.Terminate();
        }
    }
}
