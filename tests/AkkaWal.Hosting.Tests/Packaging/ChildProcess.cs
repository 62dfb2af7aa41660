using System.Diagnostics;
using System.Text;

namespace AkkaWal.Hosting.Tests.Packaging;

/// <summary>Runs a command to completion (dotnet pack, dotnet tool install, the installed tool), output captured.</summary>
internal static class ChildProcess
{
    /// <summary>Generous: packing the whole solution in Release on a loaded machine takes minutes.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(20);

    public sealed record Result(int ExitCode, string Output)
    {
        public Result EnsureSuccess(string what) =>
            ExitCode == 0 ? this : throw new InvalidOperationException($"{what} exited with {ExitCode}:{Environment.NewLine}{Output}");
    }

    /// <summary>The dotnet host running the tests, so children use the same SDK.</summary>
    public static string Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // A child dotnet must not join the test run's MSBuild node reuse or inherit its test-only variables.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {Patience}:{Environment.NewLine}{output}");
        }
        process.WaitForExit(); // drains the output events
        lock (output) return new Result(process.ExitCode, output.ToString());
    }
}
