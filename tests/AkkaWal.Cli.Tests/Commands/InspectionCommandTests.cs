using System.Text.Json;
using AkkaWal.Storage;

namespace AkkaWal.Cli.Tests.Commands;

/// <summary>verify, dump and stats on logs written through the engine, intact and damaged.</summary>
public sealed class InspectionCommandTests : IAsyncLifetime
{
    private EngineLog _log = null!;

    public async Task InitializeAsync() => _log = await EngineLog.WriteAsync();

    public Task DisposeAsync()
    {
        _log.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Verify_passes_an_intact_log_that_spans_several_segments()
    {
        Assert.True(Directory.GetFiles(_log.Directory, "*.wal").Length >= 3);
        var result = await CliHarness.RunAsync("verify", _log.Directory);
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(": error:", result.Output);
        Assert.Contains($"{_log.TotalRecords:N0} record(s)", result.OutputLines[^1]);
        Assert.StartsWith("OK:", result.OutputLines[^1]);
    }

    [Fact]
    public async Task Verify_reports_a_flipped_byte_in_a_sealed_segment_with_its_file_and_frame_offset_and_changes_nothing()
    {
        var damaged = _log.Copy("damaged");
        var victim = _log.Positions[3]; // early record: its segment is sealed
        var (file, offset) = _log.Locate(victim);
        var copyFile = Path.Combine(damaged, Path.GetFileName(file));
        Assert.NotEqual(Path.GetFileName(file), Path.GetFileName(Directory.GetFiles(damaged, "*.wal").Max())); // not the last segment
        EngineLog.FlipByte(copyFile, offset + RecordFrame.HeaderSize + 2); // inside the payload
        var before = EngineLog.Fingerprint(damaged);

        var result = await CliHarness.RunAsync("verify", damaged);

        Assert.Equal(1, result.ExitCode);
        var errors = result.OutputLines.Where(l => l.Contains(": error:")).ToArray();
        var error = Assert.Single(errors);
        Assert.StartsWith($"{copyFile}:{offset}: error: checksum mismatch", error);
        Assert.StartsWith("FAILED: 1 problem(s)", result.OutputLines[^1]);
        Assert.Equal(before, EngineLog.Fingerprint(damaged));
    }

    [Fact]
    public async Task Verify_reports_every_problem_not_just_the_first()
    {
        var damaged = _log.Copy("twice");
        var lastSegment = Directory.GetFiles(_log.Directory, "*.wal").Max();
        foreach (var victim in new[] { _log.Positions[3], _log.Positions[300] })
        {
            Assert.NotEqual(lastSegment, _log.Locate(victim).File); // sealed: not a torn-tail candidate
            var (file, offset) = _log.Locate(victim);
            EngineLog.FlipByte(Path.Combine(damaged, Path.GetFileName(file)), offset + RecordFrame.HeaderSize);
        }
        var result = await CliHarness.RunAsync("verify", damaged);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(2, result.OutputLines.Count(l => l.Contains(": error:")));
    }

    [Fact]
    public async Task Verify_reports_a_missing_middle_segment_as_a_broken_chain()
    {
        var damaged = _log.Copy("missing");
        var segments = Directory.GetFiles(damaged, "*.wal").Order(StringComparer.Ordinal).ToArray();
        File.Delete(segments[1]);
        var result = await CliHarness.RunAsync("verify", damaged);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.OutputLines, l => l.StartsWith($"{segments[2]}:40: error:", StringComparison.Ordinal) && l.Contains("missing"));
    }

    [Fact]
    public async Task A_batch_interrupted_by_a_second_BatchFirst_is_the_error_verify_and_open_both_report()
    {
        var damaged = _log.Copy("interrupted");
        var (file, first) = _log.Locate(_log.BatchPositions[0]);
        var last = _log.Locate(_log.BatchPositions[^1]).Offset;
        var copyFile = Path.Combine(damaged, Path.GetFileName(file));
        var frame = new byte[RecordFrame.HeaderSize + "batch-c".Length];
        RecordFrame.Write(frame, RecordType.BatchFirst, System.Text.Encoding.UTF8.GetBytes("batch-c"));
        using (var stream = new FileStream(copyFile, FileMode.Open, FileAccess.Write))
        {
            stream.Position = last; // the batch's last frame becomes a second BatchFirst
            stream.Write(frame);
        }

        var verify = await CliHarness.RunAsync("verify", damaged);
        var open = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(EngineLog.Options(damaged)));

        Assert.Equal(1, verify.ExitCode);
        Assert.Equal((copyFile, first), (open.FilePath, open.FileOffset));
        Assert.StartsWith($"{copyFile}:{first}: error:", verify.OutputLines.First(l => l.Contains(": error:")));
    }

    [Fact]
    public async Task A_torn_tail_is_a_warning_and_a_problem_only_with_strict()
    {
        var torn = _log.Copy("torn");
        var (file, offset) = _log.Locate(_log.BatchPositions[^1]); // the last record: a torn write after it is a torn tail
        var tornFile = Path.Combine(torn, Path.GetFileName(file));
        var end = offset + RecordFrame.HeaderSize + "batch-b".Length;
        using (var stream = new FileStream(tornFile, FileMode.Open, FileAccess.Write))
        {
            stream.Position = end;
            stream.Write([20, 0, 0, 0, 1, 2, 3, 4, 1, (byte)'x']); // a frame header whose payload never made it
        }

        var lenient = await CliHarness.RunAsync("verify", torn);
        Assert.Equal(0, lenient.ExitCode);
        Assert.Contains(lenient.OutputLines, l => l.StartsWith($"{tornFile}:{end}: warning:", StringComparison.Ordinal) && l.Contains("torn tail"));

        var strict = await CliHarness.RunAsync("verify", "--strict", torn);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains(strict.OutputLines, l => l.StartsWith($"{tornFile}:{end}: error:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_runs_read_only_next_to_a_live_owner_and_says_so()
    {
        await using var live = WriteAheadLog.Open(EngineLog.Options(_log.Directory));
        await live.AppendAsync("while-open"u8.ToArray());
        var before = EngineLog.Fingerprint(_log.Directory);

        var result = await CliHarness.RunAsync("verify", _log.Directory);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"open by process {Environment.ProcessId}", result.Output);
        Assert.Contains($"{_log.TotalRecords + 1:N0} record(s)", result.OutputLines[^1]);
        Assert.Equal(before, EngineLog.Fingerprint(_log.Directory));
        await live.AppendAsync("still-open"u8.ToArray()); // the owner was not disturbed
    }

    [Fact]
    public async Task Dump_prints_every_record_in_order_with_position_type_length_and_safe_payload()
    {
        var result = await CliHarness.RunAsync("dump", _log.Directory);
        Assert.Equal(0, result.ExitCode);
        var lines = result.OutputLines;
        Assert.Equal(_log.TotalRecords, lines.Length);
        Assert.Equal($"{_log.Positions[0]} full 8 \"record-0\"", lines[0]);
        Assert.Equal($"{_log.Positions[599]} full 10 \"record-599\"", lines[599]);
        Assert.Equal($"{_log.BinaryPosition} full 3 hex:0001ff", lines[600]);
        Assert.Equal($"{_log.BatchPositions[0]} batch-first 7 \"batch-a\"", lines[601]);
        Assert.Equal($"{_log.BatchPositions[1]} batch-last 7 \"batch-b\"", lines[602]);
    }

    [Fact]
    public async Task Dump_from_a_position_starts_at_that_record_and_cuts_long_payloads()
    {
        var result = await CliHarness.RunAsync("dump", _log.Directory, "--from", _log.Positions[450].ToString(), "--max-bytes", "4");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(_log.TotalRecords - 450, result.OutputLines.Length);
        Assert.Equal($"{_log.Positions[450]} full 10 \"reco\"... (+6 bytes)", result.OutputLines[0]);
    }

    [Fact]
    public async Task Dump_json_is_one_parseable_object_per_record()
    {
        var result = await CliHarness.RunAsync("dump", "--json", _log.Directory);
        Assert.Equal(0, result.ExitCode);
        var objects = result.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(_log.TotalRecords, objects.Length);
        Assert.Equal(_log.Positions[7], objects[7].GetProperty("position").GetInt64());
        Assert.Equal("full", objects[7].GetProperty("type").GetString());
        Assert.Equal("record-7", objects[7].GetProperty("text").GetString());
        Assert.Equal("0001ff", objects[600].GetProperty("hex").GetString());
    }

    [Fact]
    public async Task Dump_of_a_damaged_log_names_the_damage_on_stderr_and_fails()
    {
        var damaged = _log.Copy("dumpdamaged");
        var (file, offset) = _log.Locate(_log.Positions[3]);
        EngineLog.FlipByte(Path.Combine(damaged, Path.GetFileName(file)), offset + RecordFrame.HeaderSize);
        var result = await CliHarness.RunAsync("dump", damaged);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{Path.Combine(damaged, Path.GetFileName(file))}:{offset}: error:", result.ErrorLines.Single());
        Assert.DoesNotContain(result.OutputLines, l => l.StartsWith($"{_log.Positions[3]} ", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith($"{_log.Positions[4]} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stats_counts_segments_records_and_bytes()
    {
        var result = await CliHarness.RunAsync("stats", _log.Directory);
        Assert.Equal(0, result.ExitCode);
        var segments = Directory.GetFiles(_log.Directory, "*.wal").Length;
        Assert.StartsWith($"segments          {segments} (", result.OutputLines[1]);
        Assert.Equal($"records           {_log.TotalRecords:N0}", result.OutputLines[2]);
        var payload = Enumerable.Range(0, EngineLog.TextRecords).Sum(i => $"record-{i}".Length) + 3 + 14;
        Assert.Equal($"payload bytes     {payload:N0}", result.OutputLines[3]);
        Assert.StartsWith($"record bytes      {payload + RecordFrame.HeaderSize * _log.TotalRecords:N0} ", result.OutputLines[4]);
        Assert.StartsWith("dead bytes        0 (0%", result.OutputLines[5]);
    }

    [Fact]
    public async Task Stats_counts_padding_left_by_compaction_as_dead_bytes()
    {
        CompactionResult compaction;
        await using (var log = WriteAheadLog.Open(EngineLog.Options(_log.Directory)))
            compaction = await log.CompactAsync(r => !System.Text.Encoding.UTF8.GetString(r.Payload.Span).EndsWith('5'));
        Assert.True(compaction.RecordsRemoved > 0);

        var stats = await CliHarness.RunAsync("stats", _log.Directory);
        Assert.Equal(0, stats.ExitCode);
        Assert.Equal($"records           {_log.TotalRecords - compaction.RecordsRemoved:N0}", stats.OutputLines[2]);
        Assert.DoesNotMatch("^dead bytes        0 ", stats.OutputLines[5]);

        var verify = await CliHarness.RunAsync("verify", _log.Directory);
        Assert.Equal(0, verify.ExitCode);

        var dump = await CliHarness.RunAsync("dump", _log.Directory);
        Assert.Equal(0, dump.ExitCode);
        Assert.Contains(dump.OutputLines, l => l.Contains(" padding "));
        Assert.Equal(_log.TotalRecords - compaction.RecordsRemoved, dump.OutputLines.Count(l => !l.Contains(" padding ")));
    }

    // --json of verify and stats: the shapes documented in docs/OPERATIONS.md.

    [Fact]
    public async Task Verify_json_reports_ok_and_counts_of_an_intact_log()
    {
        var result = await CliHarness.RunAsync("verify", "--json", _log.Directory);

        Assert.Equal(0, result.ExitCode);
        var root = JsonDocument.Parse(Assert.Single(result.OutputLines)).RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(0, root.GetProperty("problems").GetInt32());
        Assert.Equal(_log.TotalRecords, root.GetProperty("records").GetInt64());
        Assert.True(root.GetProperty("segments").GetInt32() >= 3);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("findings").ValueKind);
    }

    [Fact]
    public async Task Verify_json_lists_a_damaged_record_with_file_offset_and_level()
    {
        var damaged = _log.Copy("damaged-json");
        var (file, offset) = _log.Locate(_log.Positions[3]);
        EngineLog.FlipByte(Path.Combine(damaged, Path.GetFileName(file)), offset + AkkaWal.Storage.RecordFrame.HeaderSize + 2);

        var result = await CliHarness.RunAsync("verify", "--json", damaged);

        Assert.Equal(1, result.ExitCode);
        var root = JsonDocument.Parse(Assert.Single(result.OutputLines)).RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        var finding = Assert.Single(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("level").GetString() == "error");
        Assert.Equal(Path.Combine(damaged, Path.GetFileName(file)), finding.GetProperty("file").GetString());
        Assert.Equal(offset, finding.GetProperty("offset").GetInt64());
    }

    [Fact]
    public async Task Stats_json_gives_the_figures_and_one_entry_per_segment()
    {
        var result = await CliHarness.RunAsync("stats", "--json", _log.Directory);

        Assert.Equal(0, result.ExitCode);
        var root = JsonDocument.Parse(Assert.Single(result.OutputLines)).RootElement;
        Assert.Equal(_log.TotalRecords, root.GetProperty("records").GetInt64());
        var segments = root.GetProperty("segments").GetProperty("total").GetInt32();
        Assert.Equal(segments, root.GetProperty("perSegment").GetArrayLength());
        Assert.Equal(_log.TotalRecords, root.GetProperty("perSegment").EnumerateArray().Sum(s => s.GetProperty("records").GetInt64()));
        foreach (var key in new[] { "payloadBytes", "recordBytes", "deadBytes", "unwrittenBytes", "capacityBytes" })
            Assert.True(root.GetProperty(key).GetInt64() >= 0, key);
    }
}
