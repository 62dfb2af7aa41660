using AkkaWal.Storage;

namespace AkkaWal.Cli.Commands;

/// <summary>How the inspecting commands print a <see cref="WalProblem"/>: FILE:OFFSET: LEVEL: message.</summary>
internal static class Findings
{
    /// <param name="tornTailIsError">--strict on a log nobody has open: a torn tail counts as damage.</param>
    public static string Level(WalProblem p, bool tornTailIsError = false) => p.Kind switch
    {
        _ when p.IsCorruption => "error",
        WalProblemKind.TornTail => tornTailIsError ? "error" : "warning",
        _ => "note",
    };

    public static string Line(WalProblem p, string level) => $"{p.FilePath}:{p.FileOffset}: {level}: {What(p.Kind)}{p.Message}";

    /// <summary>A label for the kinds whose message alone does not say what they are (frame messages do).</summary>
    private static string What(WalProblemKind kind) => kind switch
    {
        WalProblemKind.TornTail => "torn tail: ",
        WalProblemKind.Chain => "broken segment chain: ",
        WalProblemKind.Header => "bad segment header: ",
        WalProblemKind.TempFile => "temp file: ",
        _ => "",
    };

    /// <summary>Problems worth a line on standard error for dump and stats (not the notes).</summary>
    public static void WriteDamage(WalScanResult scan, TextWriter error)
    {
        foreach (var p in scan.Problems.Where(p => p.IsCorruption || p.Kind == WalProblemKind.TornTail))
            error.WriteLine(Line(p, Level(p)));
    }
}
