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

    static TestLog()
    {
        Log.Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new QueueSink()).CreateLogger();
    }

    /// <summary>Installs the collecting logger (idempotent).</summary>
    public static void Install() => _ = Events.Count;

    public static ILogger Logger => Log.Logger;

    public static IReadOnlyList<LogEvent> Where(Func<LogEvent, bool> predicate) => Events.Where(predicate).ToArray();

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
        throw new TimeoutException("no matching log event arrived");
    }

    private sealed class QueueSink : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
    }
}
