using AkkaWal.Transactions.Import;

namespace AkkaWal.Transactions.Tests;

/// <summary>The reader and the format's rules, on the shared samples and on files written by each test.</summary>
public sealed class LegacyWalReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("akkawal-legacy-");

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string[] Committed(LegacyFileContent c) => c.Transactions.Where(t => t.Committed).Select(t => t.TxId).Order().ToArray();
    private static string[] InDoubt(LegacyFileContent c) => c.Transactions.Where(t => !t.Committed).Select(t => t.TxId).Order().ToArray();

    [Fact]
    public void Gen1_sample_has_a1_a3_committed_and_a2_in_doubt()
    {
        var content = LegacyWalInterpreter.Read(Sample("gen1.jsonl"), skipBadLines: false);
        Assert.Equal(["a1", "a3"], Committed(content));
        Assert.Equal(["a2"], InDoubt(content));
        Assert.Equal(new LegacyFileReport(content.Report.File, 2, 1, 0, 0, null, [], []), content.Report with { OrphanTxIds = [], BadLines = [] });
        Assert.Equal("Zoë", content.Transactions.Single(t => t.TxId == "a3").Changes["profile:42"].GetProperty("name").GetString());
    }

    [Fact]
    public void Gen2_sample_has_b1_b3_committed_b2_in_doubt_and_one_redundant_commit()
    {
        var content = LegacyWalInterpreter.Read(Sample("gen2.jsonl"), skipBadLines: false);
        Assert.Equal(["b1", "b3"], Committed(content));
        Assert.Equal(["b2"], InDoubt(content));
        Assert.Empty(content.Transactions.Single(t => t.TxId == "b3").Changes);
        Assert.Equal(1, content.Report.RedundantCommits);
        Assert.Equal(0, content.Report.OrphanCommits);
        Assert.Null(content.Report.TornTailLine);
    }

    [Fact]
    public void Mixed_sample_has_c1_c2_committed_c3_in_doubt_and_an_orphan_commit_of_ghost()
    {
        var content = LegacyWalInterpreter.Read(Sample("mixed.jsonl"), skipBadLines: false);
        Assert.Equal(["c1", "c2"], Committed(content));
        Assert.Equal(["c3"], InDoubt(content));
        Assert.Equal(1, content.Report.OrphanCommits);
        Assert.Equal(["ghost"], content.Report.OrphanTxIds);
        Assert.Equal(0, content.Report.RedundantCommits);
    }

    [Fact]
    public void Torn_tail_sample_has_d1_committed_and_reports_line_3_torn()
    {
        var content = LegacyWalInterpreter.Read(Sample("torn-tail.jsonl"), skipBadLines: false);
        Assert.Equal(["d1"], Committed(content));
        Assert.Empty(InDoubt(content));
        Assert.Equal(3, content.Report.TornTailLine);
        Assert.Empty(content.Report.BadLines);
    }

    [Fact]
    public void A_key_twice_in_one_line_is_an_error_with_its_line_number()
    {
        var path = Write("dup.jsonl", """
            {"op": "PREPARE", "tx_id": "t1", "changes": {"a": 1}, "timestamp": 1.0}
            {"op": "PREPARE", "tx_id": "t2", "changes": {"b": 1, "b": 2}, "timestamp": 2.0}
            {"op": "COMMIT", "tx_id": "t1", "timestamp": 3.0}

            """);
        var e = Assert.Throws<LegacyWalFormatException>(() => LegacyWalInterpreter.Read(path, skipBadLines: false));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("'b' twice", e.Message);
    }

    [Fact]
    public void Malformed_line_before_the_last_fails_with_file_and_line_number()
    {
        var path = Write("bad.jsonl", """
            {"op": "PREPARE", "tx_id": "t1", "changes": {"a": 1}, "timestamp": 1.0}
            {"op": "PREPARE", "tx_id": "t2", "changes": {"b":
            {"op": "COMMIT", "tx_id": "t1", "timestamp": 2.0}

            """);
        var e = Assert.Throws<LegacyWalFormatException>(() => LegacyWalInterpreter.Read(path, skipBadLines: false));
        Assert.Equal(path, e.File);
        Assert.Equal(2, e.LineNumber);
        Assert.Contains($"{path}:2:", e.Message);
    }

    [Fact]
    public void Line_with_wrong_field_types_fails_naming_the_field()
    {
        var path = Write("types.jsonl", """
            {"tx_id": 7, "changes": {}, "committed": true}
            {"op": "COMMIT", "tx_id": "t1"}
            """);
        var e = Assert.Throws<LegacyWalFormatException>(() => LegacyWalInterpreter.Read(path, skipBadLines: false));
        Assert.Equal(1, e.LineNumber);
        Assert.Contains("tx_id", e.Reason);
    }

    [Fact]
    public void Skip_bad_lines_counts_and_skips_them()
    {
        var path = Write("skip.jsonl", """
            {"op": "PREPARE", "tx_id": "t1", "changes": {"a": 1}, "timestamp": 1.0}
            not json at all
            {"tx_id": "t2", "changes": [1], "committed": true}
            {"op": "COMMIT", "tx_id": "t1", "timestamp": 2.0}

            """);
        var content = LegacyWalInterpreter.Read(path, skipBadLines: true);
        Assert.Equal(["t1"], Committed(content));
        Assert.Equal([2, 3], content.Report.BadLines.Select(b => b.Line));
    }

    [Fact]
    public void Unknown_op_fails_naming_its_line_even_when_skipping_bad_lines()
    {
        var path = Write("op.jsonl", """
            {"op": "PREPARE", "tx_id": "t1", "changes": {}, "timestamp": 1.0}
            {"op": "ROLLBACK", "tx_id": "t1", "timestamp": 2.0}
            """);
        var e = Assert.Throws<LegacyWalFormatException>(() => LegacyWalInterpreter.Read(path, skipBadLines: true));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("ROLLBACK", e.Reason);
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_a_commit_may_come_before_its_prepare()
    {
        var path = Write("extra.jsonl", """
            {"op": "COMMIT", "tx_id": "t1", "timestamp": 2.0, "node": "n1"}
            {"op": "PREPARE", "tx_id": "t1", "changes": {"a": 1}, "timestamp": 1.0, "trace": {"id": 5}}
            {"tx_id": "t2", "changes": {"b": 2}, "timestamp": 1.5, "committed": false, "version": 1}
            """);
        var content = LegacyWalInterpreter.Read(path, skipBadLines: false);
        Assert.Equal(["t1"], Committed(content));
        Assert.Equal(["t2"], InDoubt(content));
        Assert.Equal(0, content.Report.OrphanCommits);
    }

    [Fact]
    public void A_transaction_defined_twice_with_other_changes_fails()
    {
        var path = Write("twice.jsonl", """
            {"op": "PREPARE", "tx_id": "t1", "changes": {"a": 1}, "timestamp": 1.0}
            {"op": "PREPARE", "tx_id": "t1", "changes": {"a": 2}, "timestamp": 1.0}
            """);
        var e = Assert.Throws<LegacyWalFormatException>(() => LegacyWalInterpreter.Read(path, skipBadLines: false));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("line 1", e.Reason);
    }

    [Fact]
    public void Complete_last_line_without_newline_is_not_torn()
    {
        var path = Write("nonl.jsonl", "{\"op\": \"PREPARE\", \"tx_id\": \"t1\", \"changes\": {}, \"timestamp\": 1.0}\n{\"op\": \"COMMIT\", \"tx_id\": \"t1\"}");
        var content = LegacyWalInterpreter.Read(path, skipBadLines: false);
        Assert.Null(content.Report.TornTailLine);
        Assert.Equal(["t1"], Committed(content));
    }

    public void Dispose() => _dir.Dispose();
}
