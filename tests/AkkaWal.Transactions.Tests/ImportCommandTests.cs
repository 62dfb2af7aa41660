using System.Text.Json;
using Akka.Actor;
using AkkaWal.Cli;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Tests;

/// <summary>`akkawal import FILE... --dir DIR [--skip-bad-lines] [--json]`, run in-process through the CLI's own runner.</summary>
[Collection(CliCollection.Name)]
public sealed class ImportCommandTests : IDisposable
{
    private readonly TempDirectory _root = new("akkawal-import-cli-");
    private string DataDir => Path.Combine(_root.Path, "data");

    private static string[] Samples() =>
        new[] { "gen1.jsonl", "gen2.jsonl", "mixed.jsonl", "torn-tail.jsonl" }.Select(LegacyWalReaderTests.Sample).ToArray();

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliRunner.RunAsync(Program.CreateRoot(), args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Import_with_json_prints_one_object_with_the_counts_and_a_second_run_writes_nothing()
    {
        var (code, output, error) = await Run(["import", .. Samples(), "--dir", DataDir, "--json"]);
        Assert.True(code == 0, error);
        using (var json = JsonDocument.Parse(output))
        {
            var root = json.RootElement;
            Assert.Equal((7, 3, 1, 1, 1, 0, 10),
                (root.GetProperty("committed").GetInt32(), root.GetProperty("inDoubt").GetInt32(), root.GetProperty("orphanCommits").GetInt32(),
                 root.GetProperty("redundantCommits").GetInt32(), root.GetProperty("tornTail").GetInt32(), root.GetProperty("badLines").GetInt32(),
                 root.GetProperty("written").GetInt32()));
        }

        var again = await Run(["import", .. Samples(), "--dir", DataDir, "--json"]);
        Assert.Equal(0, again.Code);
        using (var json = JsonDocument.Parse(again.Out))
        {
            Assert.Equal(0, json.RootElement.GetProperty("written").GetInt32());
            Assert.Equal(10, json.RootElement.GetProperty("alreadyPresent").GetInt32());
        }

        // The imported state is what a service opening the directory sees.
        var system = ActorSystem.Create("after-import", TransactionsConfig.OnWal(DataDir));
        try
        {
            var coordinator = system.StartTransactions();
            var inDoubt = await coordinator.Ask<InDoubtTransactions>(GetInDoubt.Instance, TimeSpan.FromSeconds(60));
            Assert.Equal(["a2", "b2", "c3"], inDoubt.Transactions.Select(t => t.TxId));
            var read = await coordinator.Ask<ReadResult>(new Read("balance:bob"), TimeSpan.FromSeconds(30));
            Assert.Equal(110, read.Value!.Value.GetInt32());
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_malformed_line_fails_with_file_and_line_and_exit_1_unless_skipped()
    {
        var bad = Path.Combine(_root.Path, "bad.jsonl");
        await File.WriteAllTextAsync(bad, "{\"op\": \"PREPARE\", \"tx_id\": \"t1\", \"changes\": {\"k\": 1}}\n{oops\n{\"op\": \"COMMIT\", \"tx_id\": \"t1\"}\n");

        var (code, output, error) = await Run("import", bad, "--dir", DataDir);
        Assert.Equal(1, code);
        Assert.Contains($"{bad}:2:", error);
        Assert.Equal("", output);

        var skipped = await Run("import", bad, "--dir", DataDir, "--skip-bad-lines");
        Assert.Equal(0, skipped.Code);
        Assert.Contains("1 bad lines", skipped.Out);
        Assert.Contains("1 committed", skipped.Out);
    }

    [Fact]
    public async Task Missing_file_or_missing_dir_option_is_a_usage_error()
    {
        Assert.Equal(2, (await Run("import", Path.Combine(_root.Path, "nope.jsonl"), "--dir", DataDir)).Code);
        Assert.Equal(2, (await Run(["import", .. Samples()])).Code);
    }

    [Fact]
    public async Task Import_into_a_directory_a_running_service_owns_exits_3_and_writes_nothing()
    {
        var system = ActorSystem.Create("owner", TransactionsConfig.OnWal(DataDir));
        try
        {
            var coordinator = system.StartTransactions();
            await coordinator.Ask<InDoubtTransactions>(GetInDoubt.Instance, TimeSpan.FromSeconds(60)); // journal open and locked
            var (code, _, error) = await Run(["import", .. Samples(), "--dir", DataDir]);
            Assert.Equal(3, code);
            Assert.Contains("in use by process", error);
            Assert.Empty((await coordinator.Ask<InDoubtTransactions>(GetInDoubt.Instance, TimeSpan.FromSeconds(30))).Transactions);
        }
        finally
        {
            await system.Terminate();
        }
    }

    public void Dispose() => _root.Dispose();
}

/// <summary>The CLI sets Serilog's global logger: its tests do not run in parallel with each other.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection
{
    public const string Name = "akkawal CLI";
}
