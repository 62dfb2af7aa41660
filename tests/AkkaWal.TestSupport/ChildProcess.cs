using System.Diagnostics;

namespace AkkaWal.TestSupport;

/// <summary>The CrashHost child process (a real process, so kill -9 is real) with its stdout lines collected.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();

    public ChildProcess(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(CrashHostLocator.CrashHostPath());
        foreach (var a in args) psi.ArgumentList.Add(a);
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { _exited.TrySetResult(); return; }
            lock (_lines) { _lines.Add(e.Data); Monitor.PulseAll(_lines); }
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public string StdErr { get { lock (_stderr) return _stderr.ToString(); } }

    public List<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    /// <summary>Waits until at least <paramref name="count"/> lines match, failing after a generous timeout.</summary>
    public void WaitForLines(Func<string, bool> match, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        lock (_lines)
        {
            while (_lines.Count(match) < count)
            {
                if (_process.HasExited && _exited.Task.IsCompleted)
                    throw new InvalidOperationException($"child exited with {_process.ExitCode}: {StdErr}");
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) throw new TimeoutException($"child printed {_lines.Count} lines; stderr: {StdErr}");
                Monitor.Wait(_lines, TimeSpan.FromMilliseconds(Math.Min(200, left.TotalMilliseconds)));
            }
        }
    }

    /// <summary>SIGKILL, then wait for the exit and for the last buffered stdout lines.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _exited.Task.Wait(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
