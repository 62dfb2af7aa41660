namespace AkkaWal.TestSupport;

/// <summary>How <see cref="ChildProcess"/> starts a process and what it does with the lines it prints.</summary>
public sealed record ChildProcessOptions
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set (or replaced) in the child's environment, on top of this process's.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Called for each standard-output line as it arrives, in order, on a reader thread; returning true kills
    /// the child (SIGKILL) at once. Lines still in the pipe after the kill are delivered too. An exception kills the
    /// child and is rethrown by <see cref="ChildProcess.WaitForExitAsync"/>.</summary>
    public Func<string, bool>? OnOutputLine { get; init; }

    /// <summary>Called for each standard-error line as it arrives, on a reader thread.</summary>
    public Action<string>? OnErrorLine { get; init; }
}
