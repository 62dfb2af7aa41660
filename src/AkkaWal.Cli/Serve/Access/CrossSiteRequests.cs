using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AkkaWal.Cli.Serve.Access;

/// <summary>
/// A state-changing request (anything but GET, HEAD, OPTIONS) that a browser sends from another site is refused with
/// 403. JSON-only bodies already stop cross-site requests that carry a body, but commit and abort have none: a page
/// could send a bodiless POST with fetch(mode: "no-cors"). Browsers mark every such request: <c>Origin</c> names the
/// page's origin (it must be this host: the same authority as the already filtered Host header) and
/// <c>Sec-Fetch-Site</c> says cross-site or same-site. Clients that are not browsers (curl, the tool) send neither.
/// </summary>
internal static class CrossSiteRequests
{
    public static IApplicationBuilder UseSameOriginWritesOnly(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && CrossSiteReason(request) is { } reason)
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, reason);
            return;
        }
        await next(context);
    });

    private static string? CrossSiteReason(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite is "cross-site" or "same-site")
            return $"a {request.Method} from a web page of another site is refused (Sec-Fetch-Site: {fetchSite})";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        if (Uri.TryCreate(origin, UriKind.Absolute, out var page)
            && string.Equals(page.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
            return null;
        return $"a {request.Method} from a web page of another origin is refused (Origin: {origin})";
    }
}
