using System.Text.Json;
using AkkaWal.Transactions.Import;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>Import through a running pipeline: the samples give exactly EXPECTED.md, twice changes nothing, failure writes nothing.</summary>
public sealed class LegacyImportTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    private static readonly string[] Samples = ["gen1.jsonl", "gen2.jsonl", "mixed.jsonl", "torn-tail.jsonl"];

    private LegacyImporter Importer() => new(Coordinator, Settings, Timeout);

    private static string[] SamplePaths() => Samples.Select(LegacyWalReaderTests.Sample).ToArray();

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(Data.Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Importing_the_four_samples_gives_exactly_the_expected_state()
    {
        var summary = await Importer().ImportAsync(SamplePaths(), skipBadLines: false);

        Assert.Equal((7, 3, 1, 1, 1, 0), (summary.Committed, summary.InDoubt, summary.OrphanCommits, summary.RedundantCommits, summary.TornTail, summary.BadLines));
        var expected = new Dictionary<string, string>
        {
            ["balance:alice"] = "90", ["balance:bob"] = "110", ["profile:42"] = """{"name":"Zoë","tags":["x","y"]}""",
            ["deleted"] = "null", ["k1"] = "1", ["x"] = "1", ["y"] = "2", ["a"] = "1",
        };
        string[] unset = ["k2", "k3", "stock:sku-1", "note", "z", "b"];
        var state = await AskAsync<ReadKeysResult>(new ReadKeys([.. expected.Keys, .. unset]));
        Assert.Equal(expected.Keys.Order(), state.Values.Keys.Order());
        foreach (var (key, json) in expected)
            Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(json).RootElement, state.Values[key]), $"{key}: {state.Values[key]}");

        var inDoubt = await AskAsync<InDoubtTransactions>(GetInDoubt.Instance);
        Assert.Equal(["a2", "b2", "c3"], inDoubt.Transactions.Select(t => t.TxId));
        Assert.Equal("restock", inDoubt.Transactions[0].Changes["note"].GetString());
        foreach (var committed in new[] { "a1", "a3", "b1", "b3", "c1", "c2", "d1" })
            Assert.Equal(TransactionStatus.Committed, (await AskAsync<TransactionInfo>(new GetTransaction(committed))).Status);
        Assert.Equal(TransactionStatus.Unknown, (await AskAsync<TransactionInfo>(new GetTransaction("ghost"))).Status);
        Assert.Equal(TransactionStatus.Unknown, (await AskAsync<TransactionInfo>(new GetTransaction("d2"))).Status);
    }

    [Fact]
    public async Task Importing_the_same_files_twice_changes_nothing_the_second_time()
    {
        var first = await Importer().ImportAsync(SamplePaths(), skipBadLines: false);
        Assert.Equal(10, first.Written);
        var records = await TotalJournalEvents();

        var second = await Importer().ImportAsync(SamplePaths(), skipBadLines: false);
        Assert.Equal(0, second.Written);
        Assert.Equal(10, second.AlreadyPresent);
        Assert.Equal(first with { Written = 0, AlreadyPresent = 10 }, second with { Files = first.Files });
        Assert.Equal(records, await TotalJournalEvents());
    }

    [Fact]
    public async Task A_file_with_a_malformed_line_fails_and_leaves_the_wal_unchanged()
    {
        var good = WriteFile("good.jsonl", """{"op": "PREPARE", "tx_id": "g1", "changes": {"g": 1}}""" + "\n" + """{"op": "COMMIT", "tx_id": "g1"}""" + "\n");
        var bad = WriteFile("bad.jsonl", """
            {"op": "PREPARE", "tx_id": "h1", "changes": {"h": 1}}
            {"op": "COMMIT", "tx_id": "h1"
            {"op": "PREPARE", "tx_id": "h2", "changes": {"i": 2}}

            """);
        var e = await Assert.ThrowsAsync<LegacyWalFormatException>(() => Importer().ImportAsync([good, bad], skipBadLines: false));
        Assert.Equal((bad, 2), (e.File, e.LineNumber));
        Assert.Equal(0, await TotalJournalEvents());

        var skipped = await Importer().ImportAsync([good, bad], skipBadLines: true);
        Assert.Equal((1, 2, 1), (skipped.Committed, skipped.InDoubt, skipped.BadLines));
        Assert.Equal(1, (await AskAsync<ReadResult>(new Read("g"))).Value!.Value.GetInt32());
    }

    [Fact]
    public async Task Two_undecided_legacy_transactions_on_one_key_fail_the_import_before_writing()
    {
        var file = WriteFile("locks.jsonl", """
            {"op": "PREPARE", "tx_id": "u1", "changes": {"shared": 1}}
            {"op": "PREPARE", "tx_id": "u2", "changes": {"shared": 2}}

            """);
        var e = await Assert.ThrowsAsync<LegacyWalFormatException>(() => Importer().ImportAsync([file], skipBadLines: false));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("'shared'", e.Message);
        Assert.Equal(0, await TotalJournalEvents());
    }

    [Fact]
    public async Task A_transaction_prepared_in_the_wal_with_other_changes_fails_the_import_before_writing()
    {
        await AskAsync<Prepared>(new Prepare("b2", Changes(("k2", "different"))));
        var before = await TotalJournalEvents();
        var e = await Assert.ThrowsAsync<LegacyImportException>(() => Importer().ImportAsync(SamplePaths(), skipBadLines: false));
        Assert.Contains("'b2'", e.Message);
        Assert.Contains("gen2.jsonl:2", e.Message);
        Assert.Equal(before, await TotalJournalEvents());
    }

    [Fact]
    public async Task An_in_doubt_import_is_completed_by_a_later_file_that_commits_it()
    {
        var prepared = WriteFile("p.jsonl", """{"op": "PREPARE", "tx_id": "t9", "changes": {"late": true}}""" + "\n");
        Assert.Equal(1, (await Importer().ImportAsync([prepared], false)).InDoubt);
        Assert.False((await AskAsync<ReadResult>(new Read("late"))).Found);

        var committed = WriteFile("pc.jsonl", """{"op": "PREPARE", "tx_id": "t9", "changes": {"late": true}}""" + "\n" + """{"op": "COMMIT", "tx_id": "t9"}""" + "\n");
        var summary = await Importer().ImportAsync([committed], false);
        Assert.Equal(1, summary.Written);
        Assert.True((await AskAsync<ReadResult>(new Read("late"))).Value!.Value.GetBoolean());
    }

    [Fact]
    public async Task Summary_json_has_the_six_counts()
    {
        var summary = await Importer().ImportAsync(SamplePaths(), skipBadLines: false);
        using var json = JsonDocument.Parse(summary.ToJson());
        var root = json.RootElement;
        Assert.Equal(7, root.GetProperty("committed").GetInt32());
        Assert.Equal(3, root.GetProperty("inDoubt").GetInt32());
        Assert.Equal(1, root.GetProperty("orphanCommits").GetInt32());
        Assert.Equal(1, root.GetProperty("redundantCommits").GetInt32());
        Assert.Equal(1, root.GetProperty("tornTail").GetInt32());
        Assert.Equal(0, root.GetProperty("badLines").GetInt32());
    }
}
