using AkkaWal.Cli;

namespace AkkaWal.Cli.Tests.Commands;

/// <summary>Runs the real `akkawal` command tree in-process and captures what it writes.</summary>
internal static class CliHarness
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static async Task<Result> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliRunner.RunAsync(Program.CreateRoot(), args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }
}
