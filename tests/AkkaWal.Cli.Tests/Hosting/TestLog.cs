using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace AkkaWal.Cli.Tests.Hosting;

/// <summary>
/// One Serilog logger for the whole test process (Akka.Logger.Serilog and the host write to the static Log.Logger), which
/// keeps every event; tests running side by side find their own events by a marker unique to the test.
/// </summary>
public static class TestLog
{
    private static readonly ConcurrentQueue<LogEvent> Events = new();
    private static readonly ILogger Collector = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new QueueSink()).CreateLogger();

    static TestLog()
    {
        Log.Logger = Collector;
    }

    /// <summary>Installs the collecting logger (idempotent).</summary>
    public static void Install() => _ = Events.Count;

    public static ILogger Logger => Log.Logger;

    public static IReadOnlyList<LogEvent> Where(Func<LogEvent, bool> predicate)
    {
        EnsureStillInstalled();
        return Events.Where(predicate).ToArray();
    }

    public static string Render(LogEvent e) => e.RenderMessage();

    /// <summary>Waits (bounded) until an event matching the predicate arrived.</summary>
    public static async Task<LogEvent> WaitForAsync(Func<LogEvent, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (Events.FirstOrDefault(predicate) is { } found) return found;
            await Task.Delay(20);
        }
        EnsureStillInstalled();
        throw new TimeoutException("no matching log event arrived");
    }

    /// <summary>Fails plainly, rather than with "no event", when something replaced the process-wide logger.</summary>
    private static void EnsureStillInstalled()
    {
        if (!ReferenceEquals(Log.Logger, Collector))
            throw new InvalidOperationException("the process-wide Serilog logger is no longer the test log: a command run in this " +
                                                "process (serve, import) replaced or closed it; run such a command as a child process");
    }

    private sealed class QueueSink : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
    }
}
