using System.CommandLine;
using System.CommandLine.Invocation;

namespace AkkaWal.Cli;

/// <summary>Parses and invokes a command line, mapping parse errors to <see cref="ExitCodes.Usage"/>.</summary>
public static class CliRunner
{
    /// <param name="output">Where commands write their results (standard output when null).</param>
    /// <param name="error">Where commands write problems and diagnostics (standard error when null).</param>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null,
        CancellationToken ct = default)
    {
        var parsed = root.Parse(args);
        var config = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
        };
        if (parsed.Action is ParseErrorAction)
        {
            // System.CommandLine reports parse errors with exit code 1; we keep 1 for "problems found" and use 2, as
            // most Unix tools do for usage errors. The action still prints the errors and the help.
            await parsed.InvokeAsync(config, ct).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        try
        {
            return await parsed.InvokeAsync(config, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await config.Error.WriteLineAsync("akkawal: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }
}
