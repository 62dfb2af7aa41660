using System.Text.Json;
using AkkaWal.Cli;
using AkkaWal.Cli.Tests.Serve;

namespace AkkaWal.Cli.Tests.Commands;

/// <summary>The tool as a new user meets it: every command without its optional arguments, and what it prints.</summary>
public sealed class NewUserTests
{
    [Theory]
    [InlineData("verify", "DIR")]
    [InlineData("dump", "DIR")]
    [InlineData("stats", "DIR")]
    [InlineData("import", "FILE")]
    [InlineData("compact", "--url")]
    public async Task A_command_without_a_required_argument_is_a_usage_error_naming_it(string command, string missing)
    {
        var result = await CliHarness.RunAsync(command);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Matches("(?i)required|give exactly one", result.Error);
        Assert.Contains(missing, result.Error + result.Output); // the error, or the usage printed with it, names it
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("serve")]
    public void Commands_that_run_without_options_accept_their_defaults(string command)
    {
        // Parsed, not run: serve would bind 127.0.0.1:5080 on a shared machine and demo runs for a minute
        // (ServeCliTests runs both with small options). Validation is what failed here before the defaults applied.
        var parsed = Program.CreateRoot().Parse([command]);

        Assert.Empty(parsed.Errors);
    }

    [Fact]
    public void Demo_validators_still_refuse_bad_values()
    {
        var parsed = Program.CreateRoot().Parse(["demo", "--commits", "0", "--clients", "5000"]);

        Assert.Contains(parsed.Errors, e => e.Message.Contains("--commits must be 1..1000000"));
        Assert.Contains(parsed.Errors, e => e.Message.Contains("--clients must be 1..1024"));
    }

    [Fact]
    public async Task Dump_of_a_journal_decodes_journal_records_and_shows_the_pipeline_events_as_json()
    {
        using var data = new TempDirectory();
        await using (var host = await ServeTestHost.StartAsync(data.Path))
        {
            await host.PrepareAsync("tx-dump", new Dictionary<string, object> { ["colour"] = "blue" });
            await host.CommitAsync("tx-dump");
        }

        var text = await CliHarness.RunAsync("dump", Path.Combine(data.Path, "journal"));
        var json = await CliHarness.RunAsync("dump", "--json", Path.Combine(data.Path, "journal"));

        Assert.Equal(0, text.ExitCode);
        var prepared = Assert.Single(text.OutputLines, l => l.Contains("\"tx-share-prepared.v1\""));
        Assert.Matches(@"event pid=""[^""]+"" seq=\d+ writer=\S+ manifest=""[^""]*"" tags=\[[^\]]*\] timestamp=\d{4}-\d\d-\d\dT", prepared);
        Assert.Contains("\"colour\":\"blue\"", prepared); // the event as JSON, not hex
        Assert.DoesNotContain("hex:", prepared);
        Assert.Contains(text.OutputLines, l => l.Contains("\"tx-decided.v1\""));

        Assert.Equal(0, json.ExitCode);
        var records = json.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.TryGetProperty("journal", out _)).ToList();
        var preparedJson = Assert.Single(records, r => r.GetProperty("journal").GetProperty("serializerManifest").GetString() == "tx-share-prepared.v1")
            .GetProperty("journal");
        Assert.Equal("event", preparedJson.GetProperty("kind").GetString());
        Assert.True(preparedJson.GetProperty("sequenceNr").GetInt64() >= 1);
        Assert.False(string.IsNullOrEmpty(preparedJson.GetProperty("persistenceId").GetString()));
        Assert.Equal(JsonValueKind.Object, preparedJson.GetProperty("event").ValueKind);
    }

    [Fact]
    public async Task Import_shows_progress_and_its_summary_and_logs_recovery_only_when_verbose()
    {
        // A child process: the logs go to the real standard error, which only another process can capture.
        using var data = new TempDirectory();
        var legacy = Path.Combine(data.Path, "legacy.jsonl");
        await File.WriteAllTextAsync(legacy, "{\"tx_id\": \"a1\", \"changes\": {\"k\": 1}, \"timestamp\": 1771718400.25, \"committed\": true}\n");

        var quiet = await RunToolAsync("import", legacy, "--dir", Path.Combine(data.Path, "quiet"));
        var verbose = await RunToolAsync("import", legacy, "--dir", Path.Combine(data.Path, "verbose"), "--verbose");

        Assert.Equal(0, quiet.ExitCode);
        Assert.Contains("total: 1 committed", quiet.Output);
        Assert.Contains("akkawal import: importing 1 file(s)", quiet.Error);
        Assert.DoesNotContain(" INF]", quiet.Error);
        Assert.Equal(0, verbose.ExitCode);
        Assert.Contains(" INF] Partition", verbose.Error);
    }

    private static Task<ChildProcess.Result> RunToolAsync(params string[] args) =>
        ChildProcess.RunAsync(ChildProcess.Dotnet, [typeof(Program).Assembly.Location, .. args], timeout: TimeSpan.FromMinutes(5));
}
