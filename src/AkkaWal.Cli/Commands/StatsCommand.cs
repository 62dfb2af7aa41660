using System.CommandLine;
using System.Globalization;
using AkkaWal.Storage;

namespace AkkaWal.Cli.Commands;

/// <summary>`akkawal stats DIR`: segments, records, bytes and where the space goes.</summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var dir = LogDirectoryArgument.Create();
        var command = new Command("stats",
            "Show segments, records, bytes, and where the space goes: record frames, dead bytes (padding and holes left by " +
            "compaction) and preallocated space not yet written; then one line per segment. Read-only. " +
            "Exit codes: 0 done, 1 the log is damaged (figures cover what is readable), 2 usage error, 3 could not read the log.")
        {
            dir,
        };
        command.SetAction((parsed, ct) => Task.FromResult(Run(parsed.GetValue(dir)!, parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error, ct)));
        return command;
    }

    private static int Run(DirectoryInfo dir, TextWriter output, TextWriter error, CancellationToken ct)
    {
        LogInspection log;
        try
        {
            log = LogInspector.Inspect(dir.FullName, ct: ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"akkawal stats: could not read {dir.FullName}: {e.Message}");
            return ExitCodes.CouldNotRun;
        }

        var readable = log.Segments.Where(s => s.Readable).ToList();
        var withData = readable.Where(s => s.DataEnd > SegmentHeader.Size).ToList();
        var capacity = readable.Sum(s => s.Capacity);
        var headers = (long)readable.Count * SegmentHeader.Size;
        var written = log.FrameBytes + log.PaddingBytes;
        var unwritten = readable.Sum(s => Math.Max(0, s.Capacity - s.DataEnd));
        var inv = CultureInfo.InvariantCulture;

        output.WriteLine($"directory         {dir.FullName}");
        output.WriteLine(string.Create(inv, $"segments          {log.Segments.Count} ({withData.Count} with data, {readable.Count - withData.Count} empty/preallocated, {log.Segments.Count - readable.Count} unreadable)"));
        output.WriteLine(string.Create(inv, $"records           {log.Records:N0}"));
        output.WriteLine(string.Create(inv, $"payload bytes     {log.PayloadBytes:N0}"));
        output.WriteLine(string.Create(inv, $"record bytes      {log.FrameBytes:N0} (payload + {RecordFrame.HeaderSize}-byte frame headers)"));
        output.WriteLine(string.Create(inv, $"dead bytes        {log.PaddingBytes:N0} ({Percent(log.PaddingBytes, written)} of written bytes; padding and holes left by compaction)"));
        output.WriteLine(string.Create(inv, $"unwritten bytes   {unwritten:N0} (preallocated, {Percent(unwritten, capacity)} of segment capacity)"));
        output.WriteLine(string.Create(inv, $"segment headers   {headers:N0}"));
        output.WriteLine(string.Create(inv, $"capacity          {capacity:N0} (sum of segment sizes)"));
        output.WriteLine();
        output.WriteLine("segment                          number  records        record bytes   dead bytes     unwritten");
        foreach (var s in log.Segments)
        {
            var name = Path.GetFileName(s.Path);
            output.WriteLine(s.Readable
                ? string.Create(inv, $"{name,-32} {s.SegmentNumber,6}  {s.Records,-14:N0} {s.FrameBytes,-14:N0} {s.PaddingBytes,-14:N0} {Math.Max(0, s.Capacity - s.DataEnd):N0}")
                : $"{name,-32} unreadable header");
        }

        foreach (var f in log.Findings.Where(f => f.Severity != FindingSeverity.Note))
            error.WriteLine($"{f.FilePath}:{f.FileOffset}: {(f.Severity == FindingSeverity.Problem ? "error" : "warning")}: {f.Description}");
        return log.HasProblems ? ExitCodes.ProblemsFound : ExitCodes.Ok;
    }

    private static string Percent(long part, long whole) =>
        whole <= 0 ? "0%" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.##}%");
}
