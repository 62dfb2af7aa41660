using AkkaWal.Cli;
using AkkaWal.Cli.Tests.Commands;

namespace AkkaWal.Cli.Tests.Serve;

/// <summary>serve, compact and demo through the real command tree (in-process; demo starts real child processes).</summary>
public sealed class ServeCliTests
{
    [Fact]
    public async Task Serve_with_a_bad_value_exits_2_naming_the_key_and_what_is_allowed()
    {
        using var data = new TempDirectory();
        var (code, _, error) = await CliHarness.RunAsync("serve", "--data", data.Path, "--urls", "http://127.0.0.1:0",
            "--set", "akka.persistence.journal.wal.durability=sometimes", "--set", "akkawal.transactions.partitions=0");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("akka.persistence.journal.wal.durability = \"sometimes\" is invalid: expected one of always, interval, none", error);
        Assert.Contains("akkawal.transactions.partitions = \"0\" is invalid", error);
        Assert.False(Directory.Exists(Path.Combine(data.Path, "journal"))); // nothing started
    }

    [Fact]
    public async Task Serve_with_a_missing_config_file_exits_2_naming_the_file()
    {
        var (code, _, error) = await CliHarness.RunAsync("serve", "--config", "/nonexistent/akkawal.conf", "--urls", "http://127.0.0.1:0");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("/nonexistent/akkawal.conf does not exist", error);
    }

    [Fact]
    public async Task Serve_on_data_written_with_another_partition_count_exits_3_naming_the_key_and_the_recorded_count()
    {
        using var data = new TempDirectory();
        await using (var host = await ServeTestHost.StartAsync(data.Path))
        {
            await host.PrepareAsync("t1", new { a = 1 });
            await host.CommitAsync("t1");
        }

        // A child process: past its configuration checks serve sets (and at exit closes) the process-wide Serilog logger,
        // which in this process is the test log other tests read. If serve started anyway it would run until stopped:
        // the bound turns that into a failure, not a hang.
        var serve = await ChildProcess.RunAsync(ChildProcess.Dotnet,
            [typeof(Program).Assembly.Location, "serve", "--data", data.Path, "--urls", "http://127.0.0.1:0", "--set", "akkawal.transactions.partitions=3"],
            timeout: TimeSpan.FromMinutes(2));

        Assert.True(serve.ExitCode == ExitCodes.CouldNotRun, serve.Combined);
        Assert.Contains("akkawal.transactions.partitions = 3", serve.Error);
        Assert.Contains("was written with partitions = ", serve.Error);
        Assert.DoesNotContain("akkawal serve: listening on", serve.Output);

        // Nothing was changed: the original count still serves the data.
        await using (var host = await ServeTestHost.StartAsync(data.Path))
            Assert.Equal(1, (await ServeTestHost.JsonAsync(await host.Client.GetAsync("/state/a"))).GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task Compact_through_a_running_host_and_offline_on_its_data_after_it_stopped()
    {
        using var data = new TempDirectory();
        await using (var host = await ServeTestHost.StartAsync(data.Path))
        {
            for (var i = 0; i < 10; i++)
            {
                await host.PrepareAsync($"t{i}", new Dictionary<string, object> { [$"k{i}"] = i });
                await host.CommitAsync($"t{i}");
            }
            var online = await CliHarness.RunAsync("compact", "--url", host.Client.BaseAddress!.ToString(),
                "--token-file", Path.Combine(data.Path, "admin-token"));
            Assert.Equal(ExitCodes.Ok, online.ExitCode);
            Assert.Matches(@"compacted: \d+ partitions snapshotted, \d+ journal records removed", online.Output);

            var locked = await CliHarness.RunAsync("compact", "--data", data.Path, "--config", Path.Combine(AppContext.BaseDirectory, "hocon", "akkawal.conf"));
            Assert.Equal(ExitCodes.CouldNotRun, locked.ExitCode);
            Assert.Contains("use --url", locked.Error);

            await host.PrepareAsync("late", new { late = 1 });
            await host.CommitAsync("late");
        }

        // Offline, the tool must run with the host's partitions (recorded with the data; another number is refused).
        var config = Path.Combine(data.Path, "host.conf");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "akkawal.conf")) + "\nakkawal.transactions.partitions = 4\n");
        var offline = await CliHarness.RunAsync("compact", "--data", data.Path, "--config", config);
        Assert.True(offline.ExitCode == ExitCodes.Ok, $"exit {offline.ExitCode}: {offline.Error}{offline.Output}");
        Assert.Contains("compacted:", offline.Output);

        await using (var host = await ServeTestHost.StartAsync(data.Path))
        {
            for (var i = 0; i < 10; i++)
                Assert.Equal(i, (await ServeTestHost.JsonAsync(await host.Client.GetAsync($"/state/k{i}"))).GetProperty("value").GetInt32());
            Assert.Equal(1, (await ServeTestHost.JsonAsync(await host.Client.GetAsync("/state/late"))).GetProperty("value").GetInt32());
        }
    }

    [Fact]
    public async Task Compact_needs_exactly_one_of_url_and_data()
    {
        Assert.Equal(ExitCodes.Usage, (await CliHarness.RunAsync("compact")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await CliHarness.RunAsync("compact", "--url", "http://127.0.0.1:1", "--data", "/tmp")).ExitCode);
    }

    [Fact]
    public async Task Compact_of_an_unreachable_host_exits_3()
    {
        var (code, _, error) = await CliHarness.RunAsync("compact", "--url", "http://127.0.0.1:1");
        Assert.Equal(ExitCodes.CouldNotRun, code);
        Assert.Contains("unreachable", error);
    }

    [Fact]
    public async Task Demo_kills_the_host_under_load_and_finds_every_acknowledged_commit()
    {
        using var data = new TempDirectory();
        var (code, output, _) = await CliHarness.RunAsync("demo", "--data", data.Path, "--kills", "1", "--commits", "40", "--clients", "4");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("kill -9", output);
        Assert.Contains("every acknowledged commit survived 1 kill -9", output);
    }
}
