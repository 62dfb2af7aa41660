namespace AkkaWal.Cli.Hosting.Configuration;

/// <summary>The configuration cannot be used: every problem names its key and what is allowed.</summary>
public sealed class AkkaWalConfigException(IReadOnlyList<string> problems)
    : Exception("invalid AkkaWal configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
