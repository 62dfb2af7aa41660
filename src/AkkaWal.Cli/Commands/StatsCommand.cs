using System.CommandLine;
using System.Globalization;
using AkkaWal.Cli.Output;
using AkkaWal.Storage;

namespace AkkaWal.Cli.Commands;

/// <summary>`akkawal stats DIR`: segments, records, bytes and where the space goes.</summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var dir = LogDirectoryArgument.Create();
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object (shape in docs/OPERATIONS.md)." };
        var command = new Command("stats",
            "Show segments, records, bytes, and where the space goes: record frames, dead bytes (padding and holes left by " +
            "compaction) and preallocated space not yet written; then one line per segment. Read-only. " +
            "Exit codes: 0 done, 1 the log is damaged (figures cover what is readable), 2 usage error, 3 could not read the log.")
        {
            dir, json,
        };
        command.SetAction(parsed => Run(parsed.GetValue(dir)!, parsed.GetValue(json), parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(DirectoryInfo dir, bool json, TextWriter output, TextWriter error)
    {
        WalScanResult log;
        try
        {
            log = WalInspector.Scan(dir.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"akkawal stats: could not read {dir.FullName}: {e.Message}");
            return ExitCodes.CouldNotRun;
        }

        var readable = log.Segments.Where(s => s.HeaderValid).ToList();
        var withData = readable.Count(s => s.DataEnd > SegmentHeader.Size);
        var capacity = readable.Sum(s => s.Capacity);
        var payload = log.Segments.Sum(s => s.PayloadBytes);
        var written = log.RecordBytes + log.PaddingBytes;
        var unused = readable.Sum(s => s.UnusedBytes);
        var inv = CultureInfo.InvariantCulture;
        if (json)
        {
            output.WriteLine(JsonOutput.Serialize(new
            {
                directory = dir.FullName,
                segments = new { total = log.Segments.Count, withData, empty = readable.Count - withData, unreadable = log.Segments.Count - readable.Count },
                records = log.Records,
                payloadBytes = payload,
                recordBytes = log.RecordBytes,
                deadBytes = log.PaddingBytes,
                unwrittenBytes = unused,
                segmentHeaderBytes = (long)readable.Count * SegmentHeader.Size,
                capacityBytes = capacity,
                openByProcess = log.OwnerProcessId,
                perSegment = log.Segments.Select(s => new
                {
                    file = Path.GetFileName(s.FilePath),
                    readable = s.HeaderValid,
                    number = s.HeaderValid ? (long?)s.SegmentNumber : null,
                    records = s.Records,
                    recordBytes = s.RecordBytes,
                    deadBytes = s.PaddingBytes,
                    unwrittenBytes = s.UnusedBytes,
                }),
            }));
            Findings.WriteDamage(log, error);
            return log.IsValid ? ExitCodes.Ok : ExitCodes.ProblemsFound;
        }

        output.WriteLine($"directory         {dir.FullName}");
        output.WriteLine(string.Create(inv, $"segments          {log.Segments.Count} ({withData} with data, {readable.Count - withData} empty/preallocated, {log.Segments.Count - readable.Count} unreadable)"));
        output.WriteLine(string.Create(inv, $"records           {log.Records:N0}"));
        output.WriteLine(string.Create(inv, $"payload bytes     {payload:N0}"));
        output.WriteLine(string.Create(inv, $"record bytes      {log.RecordBytes:N0} (payload + {RecordFrame.HeaderSize}-byte frame headers)"));
        output.WriteLine(string.Create(inv, $"dead bytes        {log.PaddingBytes:N0} ({Percent(log.PaddingBytes, written)} of written bytes; padding and holes left by compaction)"));
        output.WriteLine(string.Create(inv, $"unwritten bytes   {unused:N0} (preallocated, {Percent(unused, capacity)} of segment capacity)"));
        output.WriteLine(string.Create(inv, $"segment headers   {(long)readable.Count * SegmentHeader.Size:N0}"));
        output.WriteLine(string.Create(inv, $"capacity          {capacity:N0} (sum of segment sizes)"));
        if (log.OwnerProcessId is { } pid) output.WriteLine($"open by process   {pid} (figures are a snapshot; appends continue)");
        output.WriteLine();
        output.WriteLine("segment                          number  records        record bytes   dead bytes     unwritten");
        foreach (var s in log.Segments)
        {
            var name = Path.GetFileName(s.FilePath);
            output.WriteLine(s.HeaderValid
                ? string.Create(inv, $"{name,-32} {s.SegmentNumber,6}  {s.Records,-14:N0} {s.RecordBytes,-14:N0} {s.PaddingBytes,-14:N0} {s.UnusedBytes:N0}")
                : $"{name,-32} unreadable header");
        }

        Findings.WriteDamage(log, error);
        return log.IsValid ? ExitCodes.Ok : ExitCodes.ProblemsFound;
    }

    private static string Percent(long part, long whole) =>
        whole <= 0 ? "0%" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.##}%");
}
