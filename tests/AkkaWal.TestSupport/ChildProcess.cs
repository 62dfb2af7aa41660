using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;

namespace AkkaWal.TestSupport;

/// <summary>
/// A real child process (so kill -9 is a real kill of the process holding the files) whose output is read as it comes:
/// standard output kept as lines, standard error as text, both also interleaved as the child wrote them. Started
/// directly (not through a wrapper such as <c>dotnet run</c>), so <see cref="Kill"/> hits the process under test.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    /// <summary>How long a wait lasts when the caller names no limit: generous, the machine may be loaded.</summary>
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromMinutes(10);

    private readonly Process _process;
    private readonly string _command;
    private readonly ChildProcessOptions _options;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _error = new();
    private readonly StringBuilder _combined = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ExceptionDispatchInfo? _callbackFailure;
    private int _killed;

    public ChildProcess(string file, IEnumerable<string> args, ChildProcessOptions? options = null)
    {
        _options = options ?? new ChildProcessOptions();
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_options.WorkingDirectory is { } workingDirectory) info.WorkingDirectory = workingDirectory;
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in _options.Environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        _command = $"{file} {string.Join(' ', info.ArgumentList)}";
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => OnError(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The dotnet host running the tests, so a child runs on the same runtime and SDK.</summary>
    public static string Dotnet =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Starts the CrashHost (tests/AkkaWal.CrashHost) with <paramref name="args"/>.</summary>
    public static ChildProcess CrashHost(params string[] args) => CrashHost(new ChildProcessOptions(), args);

    public static ChildProcess CrashHost(ChildProcessOptions options, params string[] args) =>
        new(Dotnet, [CrashHostLocator.CrashHostPath(), .. args], options);

    /// <summary>Runs a command to completion and returns what it printed; on timeout the child is killed and a
    /// <see cref="TimeoutException"/> carries its output.</summary>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, ChildProcessOptions? options = null,
        TimeSpan? timeout = null)
    {
        using var child = new ChildProcess(file, args, options);
        var exitCode = await child.WaitForExitAsync(timeout);
        return new Result(exitCode, child.Output, child.Error, child.Combined);
    }

    /// <summary>What a finished child printed: standard output, standard error, and both as they were interleaved.</summary>
    public sealed record Result(int ExitCode, string Output, string Error, string Combined)
    {
        public Result EnsureSuccess(string what) =>
            ExitCode == 0 ? this : throw new InvalidOperationException($"{what} exited with {ExitCode}:{System.Environment.NewLine}{Combined}");
    }

    public int Id => _process.Id;

    /// <summary>True once <see cref="Kill"/> was called (or an output callback asked for the kill).</summary>
    public bool Killed => Volatile.Read(ref _killed) == 1;

    /// <summary>True once the process exited and everything it printed was read.</summary>
    public bool HasExited => _process.HasExited && _outputClosed.Task.IsCompleted && _errorClosed.Task.IsCompleted;

    /// <summary>The standard-output lines read so far.</summary>
    public List<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    public string Output
    {
        get { lock (_lines) return string.Concat(_lines.Select(l => l + System.Environment.NewLine)); }
    }

    public string Error
    {
        get { lock (_error) return _error.ToString(); }
    }

    public string Combined
    {
        get { lock (_combined) return _combined.ToString(); }
    }

    /// <summary>Waits until at least <paramref name="count"/> standard-output lines match, failing if the child exits
    /// first or after a generous timeout.</summary>
    public void WaitForLines(Func<string, bool> match, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        lock (_lines)
        {
            while (_lines.Count(match) < count)
            {
                if (HasExited)
                    throw new InvalidOperationException($"child exited with {_process.ExitCode}: {Error}");
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) throw new TimeoutException($"child printed {_lines.Count} lines; stderr: {Error}");
                Monitor.Wait(_lines, TimeSpan.FromMilliseconds(Math.Min(200, left.TotalMilliseconds)));
            }
        }
    }

    /// <summary>SIGKILL to the child (and anything it started), without waiting: no shutdown hook runs. Safe from an
    /// output callback and after the child exited; <see cref="WaitForExitAsync"/> waits for the end.</summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 1) return;
        try { _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // already exited
    }

    /// <summary>Waits until the child exited and its output was read to the end; returns its exit code (137 after a
    /// SIGKILL). After <paramref name="timeout"/> (default <see cref="DefaultPatience"/>) the child is killed and a
    /// <see cref="TimeoutException"/> carries its output. An exception of an output callback is rethrown here.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var patience = timeout ?? DefaultPatience;
        try
        {
            await Task.WhenAll(_process.WaitForExitAsync(), _outputClosed.Task, _errorClosed.Task).WaitAsync(patience);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new TimeoutException($"{_command} did not finish within {patience}:{System.Environment.NewLine}{Combined}");
        }
        _callbackFailure?.Throw();
        return _process.ExitCode;
    }

    /// <inheritdoc cref="WaitForExitAsync"/>
    public int WaitForExit(TimeSpan? timeout = null) => WaitForExitAsync(timeout).GetAwaiter().GetResult();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            _outputClosed.TrySetResult();
            lock (_lines) Monitor.PulseAll(_lines);
            return;
        }
        lock (_combined) _combined.AppendLine(line);
        lock (_lines)
        {
            _lines.Add(line);
            Monitor.PulseAll(_lines);
        }
        if (_options.OnOutputLine is not { } onLine || _callbackFailure is not null) return;
        try
        {
            if (onLine(line)) Kill();
        }
        catch (Exception e)
        {
            // Thrown on a reader thread it would end the test process; the test sees it from WaitForExitAsync instead.
            _callbackFailure = ExceptionDispatchInfo.Capture(e);
            Kill();
        }
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            _errorClosed.TrySetResult();
            return;
        }
        lock (_combined) _combined.AppendLine(line);
        lock (_error) _error.AppendLine(line);
        try
        {
            _options.OnErrorLine?.Invoke(line);
        }
        catch (Exception e)
        {
            _callbackFailure ??= ExceptionDispatchInfo.Capture(e);
        }
    }
}
