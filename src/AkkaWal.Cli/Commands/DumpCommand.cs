using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using AkkaWal.Cli.Output;
using AkkaWal.Storage;

namespace AkkaWal.Cli.Commands;

/// <summary>`akkawal dump DIR`: one line per record as it is on disk, payloads shown safely.</summary>
public static class DumpCommand
{
    public static Command Create()
    {
        var dir = LogDirectoryArgument.Create();
        var from = new Option<long>("--from")
        {
            Description = "Start at this log position (records before it are not shown).",
            DefaultValueFactory = _ => 0,
        };
        from.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long>() < 0) r.AddError("--from must be a log position >= 0");
        });
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of text." };
        var maxBytes = new Option<int>("--max-bytes")
        {
            Description = "Show at most this many payload bytes per record; the rest is counted by a marker.",
            DefaultValueFactory = _ => PayloadText.DefaultMaxBytes,
        };
        maxBytes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--max-bytes must be >= 0");
        });
        var command = new Command("dump",
            "Print one line per record in log order: position, type, payload length and what the record holds: for a record " +
            "of the AkkaWal journal its persistence id, sequence number, writer, manifest, tags and timestamp, the transaction " +
            "pipeline's events as JSON; other payloads as quoted text when printable UTF-8, else hex (cut after --max-bytes). Padding left by compaction is shown as type padding. " +
            "Read-only. Problems go to standard error with file and byte offset. " +
            "Exit codes: 0 done, 1 the log is damaged (dumped up to and around the damage), 2 usage error, 3 could not read the log.")
        {
            dir, from, json, maxBytes,
        };
        command.SetAction(parsed => Run(parsed.GetValue(dir)!, parsed.GetValue(from), parsed.GetValue(json),
            parsed.GetValue(maxBytes), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(DirectoryInfo dir, long from, bool json, int maxBytes, TextWriter output, TextWriter error)
    {
        WalScanResult scan;
        try
        {
            scan = WalInspector.Scan(dir.FullName, record =>
            {
                if (record.Position >= from) output.WriteLine(json ? JsonLine(record, maxBytes) : TextLine(record, maxBytes));
            }, includePadding: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"akkawal dump: could not read {dir.FullName}: {e.Message}");
            return ExitCodes.CouldNotRun;
        }
        Findings.WriteDamage(scan, error);
        return scan.IsValid ? ExitCodes.Ok : ExitCodes.ProblemsFound;
    }

    private static string TextLine(ScannedRecord frame, int maxBytes)
    {
        if (frame.Type == RecordType.Padding)
            return $"{frame.Position} padding {frame.Length} (hole left by compaction)";
        var shown = JournalRecordText.TryDecode(frame.Payload, frame.Position) is { } journal
            ? JournalRecordText.Text(journal, maxBytes)
            : PayloadText.Format(frame.Payload.Span, maxBytes);
        return $"{frame.Position} {RecordTypeNames.Of(frame.Type)} {frame.Length} {shown}";
    }

    private static string JsonLine(ScannedRecord frame, int maxBytes)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("position", frame.Position);
            w.WriteString("type", RecordTypeNames.Of(frame.Type));
            if (frame.Type == RecordType.Padding)
            {
                w.WriteNumber("holeBytes", frame.Length);
            }
            else
            {
                w.WriteNumber("length", frame.Length);
                if (JournalRecordText.TryDecode(frame.Payload, frame.Position) is { } journal)
                {
                    JournalRecordText.WriteJson(w, journal, maxBytes);
                }
                else
                {
                    var shown = PayloadText.Show(frame.Payload.Span, maxBytes);
                    w.WriteString(shown.IsText ? "text" : "hex", shown.Value);
                    if (shown.OmittedBytes > 0) w.WriteNumber("omittedBytes", shown.OmittedBytes);
                }
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
