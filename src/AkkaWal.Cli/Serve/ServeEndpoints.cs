using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using AkkaWal.Cli.Hosting.Metrics;

namespace AkkaWal.Cli.Serve;

/// <summary>Maps the HTTP API of `akkawal serve`.</summary>
internal static class ServeEndpoints
{
    public static void MapAkkaWalEndpoints(this WebApplication app, TimeSpan requestTimeout, string? walJournalPluginId)
    {
        var api = new TransactionApi(app.Services.GetRequiredService<ActorRegistry>(), requestTimeout,
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AkkaWal.Serve"),
            app.Services.GetRequiredService<ServeMetrics>(),
            async ct => walJournalPluginId is null
                ? null
                : await JournalCompaction.RunAsync(app.Services.GetRequiredService<ActorSystem>(), walJournalPluginId, requestTimeout, ct));

        app.MapPost("/transactions", (HttpRequest request, CancellationToken ct) => api.PrepareAsync(request, ct));
        app.MapPost("/transactions/{id}/commit", (string id, CancellationToken ct) => api.CommitAsync(id, ct));
        app.MapPost("/transactions/{id}/abort", (string id, CancellationToken ct) => api.AbortAsync(id, ct));
        app.MapGet("/transactions/{id}", (string id, CancellationToken ct) => api.GetAsync(id, ct));
        app.MapGet("/transactions", (string? state, CancellationToken ct) => api.ListAsync(state, ct));
        app.MapGet("/state/{key}", (string key, CancellationToken ct) => api.ReadAsync(key, ct));
        app.MapPost("/admin/compact", (CancellationToken ct) => api.CompactAsync(ct)).RequireAuthorization(Access.HostProtection.AdminPolicy);
        // /health/live: the process and its ActorSystem run (restart it if not); /health/ready: the journal and snapshot
        // store can take writes (send traffic); /health: every check.
        app.MapHealthChecks("/health", HealthOptions(_ => true));
        app.MapHealthChecks("/health/live", HealthOptions(check => check.Tags.Contains(ServeHealth.LiveTag)));
        app.MapHealthChecks("/health/ready", HealthOptions(check => check.Tags.Overlaps(ServeHealth.ReadyTags)));
        var exporter = app.Services.GetRequiredService<PrometheusMeterExporter>();
        app.MapGet("/metrics", () => Results.Text(exporter.Scrape(), PrometheusMeterExporter.ContentType));
    }

    private static HealthCheckOptions HealthOptions(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = WriteHealthAsync,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                error = e.Value.Exception?.Message,
                data = e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, TransactionApi.Json));
    }
}

/// <summary>The tags that split serve's health checks into liveness and readiness.</summary>
internal static class ServeHealth
{
    /// <summary>The ActorSystem liveness check (Akka.Hosting's).</summary>
    public const string LiveTag = "liveness";

    /// <summary>The journal's and the snapshot store's checks (Akka.Persistence.Hosting tags them "persistence") and, in
    /// cluster mode, this node's membership.</summary>
    public static readonly string[] ReadyTags = ["persistence", "cluster"];
}
