namespace AkkaWal.Cli;

/// <summary>The exit codes of every akkawal command (documented in docs/OPERATIONS.md).</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked and found nothing wrong.</summary>
    public const int Ok = 0;
    /// <summary>Problems found (verify: a record or segment does not check out) or the command failed.</summary>
    public const int ProblemsFound = 1;
    /// <summary>Usage error: unknown command or option, missing or malformed argument, DIR not a directory.</summary>
    public const int Usage = 2;
    /// <summary>The command could not run to the end: an I/O error, missing permission, or the log is locked by its owner
    /// for an operation that needs exclusive access.</summary>
    public const int CouldNotRun = 3;
    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
