using System.CommandLine;
using AkkaWal.Cli.Commands;

namespace AkkaWal.Cli;

public static class Program
{
    /// <summary>Every command of the tool: adding one is one line here.</summary>
    public static RootCommand CreateRoot() => new("akkawal: run, inspect, verify and compact AkkaWal write-ahead logs")
    {
        ServeCommand.Create(),
        DemoCommand.Create(),
        CompactCommand.Create(),
        VerifyCommand.Create(),
        DumpCommand.Create(),
        StatsCommand.Create(),
        ImportCommand.Create(),
    };

    public static Task<int> Main(string[] args) => CliRunner.RunAsync(CreateRoot(), args);
}
