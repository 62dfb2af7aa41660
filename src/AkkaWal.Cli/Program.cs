using System.CommandLine;
using AkkaWal.Cli.Commands;

namespace AkkaWal.Cli;

public static class Program
{
    public static RootCommand CreateRoot() => new("akkawal: the AkkaWal transaction service and ops tool")
    {
        ServeCommand.Create(),
    };

    public static Task<int> Main(string[] args) => CreateRoot().Parse(args).InvokeAsync();
}
