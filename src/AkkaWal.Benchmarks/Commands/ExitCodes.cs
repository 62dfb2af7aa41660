namespace AkkaWal.Benchmarks.Commands;

/// <summary>The benchmark runner's exit codes (the same meanings as the akkawal tool's, docs/BENCHMARKS.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The benchmark failed.</summary>
    public const int ProblemsFound = 1;
    /// <summary>Unknown command or option, or a malformed value.</summary>
    public const int Usage = 2;
    /// <summary>The directory given is unusable (not empty, I/O error, no permission).</summary>
    public const int CouldNotRun = 3;
    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
