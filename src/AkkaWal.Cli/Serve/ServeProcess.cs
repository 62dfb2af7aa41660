using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AkkaWal.Cli.Serve;

/// <summary>
/// `akkawal serve` as a child process on a free loopback port (the demo and the crash tests): started with this very
/// binary, its address read from the line it prints once it listens, its output drained so it never blocks.
/// </summary>
public sealed partial class ServeProcess : IDisposable
{
    private const string ListeningPrefix = "akkawal serve: listening on ";
    private const int SigTerm = 15;

    private readonly Process _process;

    private readonly Queue<string> _lines;

    private ServeProcess(Process process, Uri baseAddress, Queue<string> lines)
    {
        _process = process;
        BaseAddress = baseAddress;
        _lines = lines;
    }

    /// <summary>The last lines the process wrote (stdout and stderr), for a test's failure message.</summary>
    public string RecentOutput => Tail(_lines);

    public Uri BaseAddress { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Starts `akkawal serve --data DIR --urls http://127.0.0.1:0 [extra]` and waits until it listens.</summary>
    public static async Task<ServeProcess> StartAsync(string dataDirectory, IEnumerable<string> extraArgs, TimeSpan timeout, CancellationToken ct = default)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(ServeProcess).Assembly.Location);
        foreach (var arg in new[] { "serve", "--data", dataDirectory, "--urls", "http://127.0.0.1:0" }.Concat(extraArgs))
            info.ArgumentList.Add(arg);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new Queue<string>();
        void Keep(string? line)
        {
            if (line is null) return;
            lock (lines)
            {
                lines.Enqueue(line);
                if (lines.Count > 60) lines.Dequeue();
            }
            if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
                listening.TrySetResult(new Uri(line[ListeningPrefix.Length..].Split(',')[0].Trim()));
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
            $"akkawal serve exited with code {SafeExitCode(process)} before listening:{Environment.NewLine}{Tail(lines)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(timeout, ct);
            return new ServeProcess(process, address, lines);
        }
        catch
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>kill -9: no chance to flush or close anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits for the process to end; returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (kill(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    /// <summary>The dotnet host running this process (dotnet akkawal.dll), so the child runs the same build.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    private static string SafeExitCode(Process process)
    {
        try { return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture); }
        catch (InvalidOperationException) { return "?"; }
    }

    private static string Tail(Queue<string> lines)
    {
        lock (lines) return string.Join(Environment.NewLine, lines);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
