using Akka.Event;
using Akka.Hosting;
using Akka.Logger.Serilog;

namespace AkkaWal.Cli.Hosting.Logging;

public static class SerilogHostingExtensions
{
    /// <summary>Routes every Akka log event to Serilog's static <c>Log.Logger</c> (Akka.Logger.Serilog) with semantic
    /// message templates, so the pipeline's and the plugin's events arrive as structured Serilog events.</summary>
    public static AkkaConfigurationBuilder WithAkkaWalSerilog(this AkkaConfigurationBuilder builder, LogLevel level = LogLevel.InfoLevel) =>
        builder.ConfigureLoggers(loggers =>
        {
            loggers.LogLevel = level;
            loggers.ClearLoggers();
            loggers.AddSerilogLogging();
        });
}
