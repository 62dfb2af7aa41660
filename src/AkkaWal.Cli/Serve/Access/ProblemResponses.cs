using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AkkaWal.Cli.Serve.Access;

/// <summary>Problem bodies (application/problem+json) for the refusals the middleware makes before any endpoint runs.</summary>
internal static class ProblemResponses
{
    public static async Task WriteAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }

    /// <summary>The detail of a refusal a library middleware (host filtering, Kestrel's body limit, routing) made
    /// without one; null for statuses the endpoints explain themselves.</summary>
    public static string? DefaultDetail(int status, HostAccessSettings access) => status switch
    {
        400 => "bad request: the Host header must name this host (the names --urls binds, or akkawal.host.allowed-hosts)",
        404 => "no such endpoint",
        405 => "this endpoint does not take that method",
        413 => $"the request body is larger than {access.MaxRequestBodyBytes} bytes (akkawal.transactions.max-changes-bytes + {HostAccessSettings.BodyOverheadBytes})",
        _ => null,
    };
}
