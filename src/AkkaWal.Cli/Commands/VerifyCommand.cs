using System.CommandLine;
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
        var command = new Command("verify",
            "Check every segment header, the segment chain and every record's checksum and framing, without modifying the " +
            "log or taking its lock. Prints one line per finding as FILE:OFFSET: and a summary. " +
            "Exit codes: 0 every record checks out, 1 problems found, 2 usage error, 3 could not read the log.")
        {
            dir, strict,
        };
        command.SetAction((parsed, ct) => Task.FromResult(Run(parsed.GetValue(dir)!, parsed.GetValue(strict),
            parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, ct)));
        return command;
    }

    private static int Run(DirectoryInfo dir, bool strict, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var owner = LogOwnerProbe.Find(dir.FullName);
        if (owner.IsLive)
            output.WriteLine($"note: the log is open by process {owner.Pid}; verifying read-only without its lock. Appends may be " +
                             "in flight at the end of the active segment, so a torn tail there is expected and not counted.");
        else if (!owner.Known)
            output.WriteLine("note: cannot tell whether a live process owns the log (no /proc/locks); verifying read-only.");

        LogInspection inspection;
        try
        {
            inspection = LogInspector.Inspect(dir.FullName, ct: ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"akkawal verify: could not read {dir.FullName}: {e.Message}");
            return ExitCodes.CouldNotRun;
        }

        var tornIsProblem = strict && !owner.IsLive;
        var problems = 0;
        foreach (var f in inspection.Findings)
        {
            var kind = f.Severity switch
            {
                FindingSeverity.Problem => "error",
                FindingSeverity.TornTail when tornIsProblem => "error",
                FindingSeverity.TornTail => "warning",
                _ => "note",
            };
            if (kind == "error") problems++;
            output.WriteLine($"{f.FilePath}:{f.FileOffset}: {kind}: {f.Description}");
        }
        if (inspection.Segments.Count == 0)
            output.WriteLine($"note: {dir.FullName} holds no segment files (an empty or not-yet-created log)");

        var summary = $"{inspection.Segments.Count} segment(s), {inspection.Records:N0} record(s), {inspection.FrameBytes:N0} bytes of records";
        output.WriteLine(problems == 0 ? $"OK: {summary}" : $"FAILED: {problems} problem(s) in {summary}");
        return problems == 0 ? ExitCodes.Ok : ExitCodes.ProblemsFound;
    }
}
