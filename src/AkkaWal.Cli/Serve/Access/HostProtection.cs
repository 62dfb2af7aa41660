using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;

namespace AkkaWal.Cli.Serve.Access;

/// <summary>
/// What keeps `akkawal serve` from being open to everyone, all ASP.NET Core middleware configured from
/// <see cref="HostAccessSettings"/>: Host header filtering (DNS rebinding), bearer tokens (admin always, API beyond
/// loopback), JSON-only bodies and same-origin writes (cross-site requests from browsers), Kestrel's body size limit, a concurrency limit with a
/// queue, request timeouts; every refusal with a problem body.
/// </summary>
public static class HostProtection
{
    public const string AdminPolicy = "akkawal-admin";

    public static void AddAkkaWalHostProtection(this WebApplicationBuilder builder, HostAccessSettings access, BoundUrls bound, string adminToken)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = access.MaxRequestBodyBytes);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Detail ??= ProblemResponses.DefaultDetail(c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode, access));
        builder.Services.AddHostFiltering(o =>
        {
            o.AllowedHosts = bound.AllowedHosts(access.AllowedHosts).ToList();
            o.AllowEmptyHosts = false;
            o.IncludeFailureMessage = false; // the status code pages write the problem body
        });
        builder.Services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<BearerTokenOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, o =>
            {
                o.AdminToken = adminToken;
                o.ApiToken = access.ApiToken;
            });
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy(AdminPolicy, p => p.RequireRole(BearerTokenHandler.AdminRole));
            // Endpoints without a policy of their own (all but /admin) need the API token when one is configured.
            if (access.ApiToken is not null)
                o.FallbackPolicy = new AuthorizationPolicyBuilder(BearerTokenHandler.SchemeName).RequireRole(BearerTokenHandler.ApiRole).Build();
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsProbe(context.Request.Path)
                ? RateLimitPartition.GetNoLimiter("probes")
                : RateLimitPartition.GetConcurrencyLimiter("requests", _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = access.MaxConcurrentRequests,
                    QueueLimit = access.RequestQueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
            o.OnRejected = (rejected, _) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = "1";
                return new ValueTask(ProblemResponses.WriteAsync(rejected.HttpContext, StatusCodes.Status503ServiceUnavailable,
                    $"the host is handling {access.MaxConcurrentRequests} requests with {access.RequestQueueLimit} waiting " +
                    "(akkawal.host.max-concurrent-requests, request-queue-limit); retry later"));
            };
        });
        builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = access.HttpRequestTimeout,
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            WriteTimeoutResponse = context => ProblemResponses.WriteAsync(context, StatusCodes.Status504GatewayTimeout,
                $"the request took longer than {access.HttpRequestTimeout.TotalSeconds:0.###} s (akkawal.host.http-request-timeout)"),
        });
    }

    /// <summary>The middleware in order; the caller maps the endpoints after it (with <see cref="AdminPolicy"/> on /admin).</summary>
    public static void UseAkkaWalHostProtection(this WebApplication app)
    {
        // Exceptions (Kestrel's 413 for a body over the limit among them) and bodiless refusals get problem bodies.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseHostFiltering();
        app.UseRouting();
        app.UseRequestTimeouts();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseJsonBodiesOnly();
        app.UseSameOriginWritesOnly();
    }

    private static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
