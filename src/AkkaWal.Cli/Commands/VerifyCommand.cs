using System.CommandLine;
using AkkaWal.Cli.Output;
using AkkaWal.Storage;

namespace AkkaWal.Cli.Commands;

/// <summary>`akkawal verify DIR`: checks every segment header, the segment chain and every record, read-only.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var dir = LogDirectoryArgument.Create();
        var strict = new Option<bool>("--strict")
        {
            Description = "Count a torn tail (an unacknowledged partial write at the end, which open truncates) as a problem, " +
                          "as the absolute-consistency recovery mode does.",
        };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object (shape in docs/OPERATIONS.md)." };
        var command = new Command("verify",
            "Check every segment header, the segment chain and every record's checksum and framing, without modifying the " +
            "log or taking its lock. Prints one line per finding as FILE:OFFSET: and a summary. " +
            "Exit codes: 0 every record checks out, 1 problems found, 2 usage error, 3 could not read the log.")
        {
            dir, strict, json,
        };
        command.SetAction(parsed => Run(parsed.GetValue(dir)!, parsed.GetValue(strict), parsed.GetValue(json),
            parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(DirectoryInfo dir, bool strict, bool json, TextWriter output, TextWriter error)
    {
        WalScanResult scan;
        try
        {
            scan = WalInspector.Scan(dir.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"akkawal verify: could not read {dir.FullName}: {e.Message}");
            return ExitCodes.CouldNotRun;
        }

        var live = scan.OwnerProcessId is not null;
        var findings = scan.Problems.Select(p => (Problem: p, Level: Findings.Level(p, tornTailIsError: strict && !live))).ToList();
        var problems = findings.Count(f => f.Level == "error");
        if (json)
        {
            output.WriteLine(JsonOutput.Serialize(new
            {
                directory = dir.FullName,
                ok = problems == 0,
                problems,
                segments = scan.Segments.Count,
                records = scan.Records,
                recordBytes = scan.RecordBytes,
                openByProcess = scan.OwnerProcessId,
                findings = findings.Select(f => new
                {
                    file = f.Problem.FilePath,
                    offset = f.Problem.FileOffset,
                    level = f.Level,
                    kind = f.Problem.Kind.ToString(),
                    message = f.Problem.Message,
                }),
            }));
            return problems == 0 ? ExitCodes.Ok : ExitCodes.ProblemsFound;
        }
        if (live)
            output.WriteLine($"note: the log is open by process {scan.OwnerProcessId}; verifying read-only without its lock. Appends may be " +
                             "in flight at the end of the active segment, so a torn tail there is expected and not counted.");
        foreach (var (p, level) in findings)
            output.WriteLine(Findings.Line(p, level));
        if (scan.Segments.Count == 0)
            output.WriteLine($"note: {dir.FullName} holds no segment files (an empty or not-yet-created log)");

        var summary = $"{scan.Segments.Count} segment(s), {scan.Records:N0} record(s), {scan.RecordBytes:N0} bytes of records";
        output.WriteLine(problems == 0 ? $"OK: {summary}" : $"FAILED: {problems} problem(s) in {summary}");
        return problems == 0 ? ExitCodes.Ok : ExitCodes.ProblemsFound;
    }
}
