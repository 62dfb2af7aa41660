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
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = WriteHealthAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        var exporter = app.Services.GetRequiredService<PrometheusMeterExporter>();
        app.MapGet("/metrics", () => Results.Text(exporter.Scrape(), PrometheusMeterExporter.ContentType));
    }

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
