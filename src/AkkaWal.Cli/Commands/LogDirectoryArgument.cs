using System.CommandLine;

namespace AkkaWal.Cli.Commands;

/// <summary>The DIR argument shared by the commands that read a log: an existing directory, else a usage error.</summary>
internal static class LogDirectoryArgument
{
    public static Argument<DirectoryInfo> Create() =>
        new Argument<DirectoryInfo>("DIR") { Description = "The log directory (the one holding the segment files)." }
            .AcceptExistingOnly();
}
