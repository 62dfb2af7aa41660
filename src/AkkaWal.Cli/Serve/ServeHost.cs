using Akka.Configuration;
using Akka.Hosting;
using AkkaWal.Cli.Hosting.Configuration;
using AkkaWal.Persistence.Hosting;
using AkkaWal.Cli.Hosting.Logging;
using AkkaWal.Cli.Hosting.Metrics;
using AkkaWal.Transactions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using AkkaWal.Cli.Serve.Access;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Serilog;

namespace AkkaWal.Cli.Serve;

/// <summary>
/// The `akkawal serve` process: a generic host with Kestrel (minimal APIs) and Akka.Hosting running the transaction
/// pipeline on the journal the configuration names. Stopping (SIGTERM, Ctrl+C) stops Kestrel first, which lets
/// in-flight requests finish (up to akkawal.host.shutdown-timeout), then the ActorSystem, whose termination flushes
/// and closes the WAL.
/// </summary>
public static class ServeHost
{
    /// <summary>Builds the host from a validated configuration (see <see cref="ServeConfiguration.Load"/>). When
    /// <c>akkawal.host.admin-token</c> is unset, generates one into DATA/admin-token. Throws
    /// <see cref="AkkaWalConfigException"/> when <paramref name="urls"/> leave loopback without <c>akkawal.host.api-token</c>.</summary>
    public static WebApplication Build(Config config, string urls, string dataDirectory)
    {
        var settings = AkkaWalHostSettings.Create(config);
        CheckAccess(config, urls);
        var access = HostAccessSettings.Create(config);
        var bound = BoundUrls.Parse(urls);
        var journalPluginId = config.GetString("akkawal.transactions.journal-plugin");
        var adminToken = access.AdminToken ?? AdminTokenFile.Generate(dataDirectory);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().UseUrls(urls);
        builder.Services.AddRoutingCore();
        builder.AddAkkaWalHostProtection(access, bound, adminToken);
        builder.Services.AddSerilog();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        // Health checks are registered by Akka.Hosting from the builders below (journal, liveness); this only adds the service.
        var clustered = ClusterMode.IsEnabled(config);
        var health = builder.Services.AddHealthChecks();
        if (clustered) health.AddClusterMembership();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ServeMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddAkkaWalInstrumentation();
            // OTLP only when configured: akkawal.host.otlp-endpoint, or OpenTelemetry's own OTEL_EXPORTER_OTLP_ENDPOINT.
            if (settings.OtlpEndpoint is { } endpoint)
                metrics.AddOtlpExporter(o => o.Endpoint = endpoint);
            else if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
                metrics.AddOtlpExporter();
        });
        // Factories, not instances, so the container disposes them (and their meter listeners) with the host.
        builder.Services.AddSingleton(sp => new StorageEventLogger(settings.SlowFsyncThreshold, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(_ => new PrometheusMeterExporter(meter => meter.StartsWith("AkkaWal", StringComparison.Ordinal)));
        var walJournal = IsWalJournal(config, journalPluginId);
        builder.Services.AddAkka("akkawal", akka =>
        {
            akka.WithAkkaWalSerilog();
            akka.WithActorSystemLivenessCheck(tags: [ServeHealth.LiveTag]);
            if (walJournal)
            {
                akka.WithWalPersistence(
                    journalBuilder: journal => journal.WithWalHealthCheck(settings.MinFreeDiskSpace),
                    snapshotBuilder: snapshots => snapshots.WithHealthCheck(HealthStatus.Unhealthy));
                // Before the pipeline starts: the log is opened (and what recovery did is logged) here, or start-up
                // stops on corruption or a held lock instead of writers failing in a loop.
                akka.WithActors((system, _, resolver) => WalJournalStartup.OpenAndLog(system, journalPluginId, resolver.GetService<ILoggerFactory>()));
            }
            if (clustered) akka.WithAkkaWalTransactionsSharded();
            else akka.WithAkkaWalTransactions();
            akka
                // Last and prepended: the layered configuration (file, environment, command line) has the final word.
                .AddHocon(config, HoconAddMode.Prepend)
                // The host decides the order on SIGTERM: Kestrel drains first while the actors still answer, then
                // Akka.Hosting terminates the ActorSystem (closing the WAL). Akka's own CLR exit hook would terminate
                // the ActorSystem at once, leaving in-flight requests to time out.
                .AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend);
        });

        var app = builder.Build();
        app.UseAkkaWalHostProtection();
        app.MapAkkaWalEndpoints(settings.RequestTimeout, walJournal ? journalPluginId : null);
        if (access.AdminToken is null)
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AkkaWal.Serve")
                .LogInformation("Admin token generated into {AdminTokenFile}: /admin/* needs Authorization: Bearer with it", AdminTokenFile.PathIn(dataDirectory));
        // Both created eagerly so slow fsyncs and every measurement are seen from the first write on.
        app.Services.GetRequiredService<StorageEventLogger>();
        app.Services.GetRequiredService<PrometheusMeterExporter>();
        app.Services.GetRequiredService<ServeMetrics>();
        return app;
    }

    /// <summary>Throws <see cref="AkkaWalConfigException"/> when <paramref name="urls"/> leave loopback without
    /// <c>akkawal.host.api-token</c> (serve checks it before anything starts, Build again for any other caller).</summary>
    public static void CheckAccess(Config config, string urls)
    {
        if (!BoundUrls.Parse(urls).LoopbackOnly && HostAccessSettings.Create(config).ApiToken is null)
            throw new AkkaWalConfigException([
                $"{HostAccessSettings.ApiTokenKey} is not set: it must be to listen beyond loopback (--urls {urls}); every endpoint then needs it"]);
    }

    internal static bool IsWalJournal(Config config, string journalPluginId) =>
        config.HasPath(journalPluginId + ".class") &&
        config.GetString(journalPluginId + ".class").Replace(" ", "") == AkkaWalConfigValidator.JournalClass.Replace(" ", "");

    /// <summary>The addresses Kestrel listens on (with the real port when the URL asked for port 0).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    /// <summary>The Serilog logger the host writes to: console, structured properties appended.</summary>
    public static void ConfigureSerilog(TextWriter? console = null)
    {
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}",
                standardErrorFromLevel: null)
            .CreateLogger();
    }
}
