using System.CommandLine;
using System.CommandLine.Invocation;
using AkkaWal.Benchmarks.Commands;

namespace AkkaWal.Benchmarks;

/// <summary>
/// The benchmarks, an executable of their own so the akkawal tool carries none of the peers they compare with (FASTER,
/// SQLite, Akka.Persistence.Sql): <c>dotnet run -c Release --project src/AkkaWal.Benchmarks -- engine|journal|transactions</c>.
/// </summary>
public static class Program
{
    public static RootCommand CreateRoot() => new("AkkaWal benchmarks: the engine, the Akka.Persistence journal and the transaction pipeline beside their peers")
    {
        EngineCommand.Create(),
        JournalCommand.Create(),
        TransactionsCommand.Create(),
    };

    public static Task<int> Main(string[] args) => RunAsync(args);

    /// <summary>Parses and runs; a parse error prints the errors and the help and exits <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken ct = default)
    {
        var parsed = CreateRoot().Parse(args);
        var config = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            // Ctrl+C cancels the run; the benchmark then stops what it started (`transactions --cluster`: the nodes and
            // PostgreSQL), which takes longer than System.CommandLine's default 2 s before it ends the process.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
        };
        var code = await parsed.InvokeAsync(config, ct).ConfigureAwait(false);
        return parsed.Action is ParseErrorAction ? ExitCodes.Usage : code;
    }
}
