using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace AkkaWal.Cli.Serve.Access;

/// <summary>
/// A POST (PUT, PATCH) with a body or a Content-Type must say <c>application/json</c>, else 415. A browser can send a
/// cross-site "simple" request only as text/plain, form or multipart; application/json needs a CORS preflight this
/// host never grants. (Routing's Accepts metadata would also 415, but only per endpoint and not for bodies without a
/// Content-Type.)
/// </summary>
internal static class JsonBodies
{
    public static IApplicationBuilder UseJsonBodiesOnly(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var writes = HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method);
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (writes && (hasBody || request.ContentType is not null) && !IsJson(request.ContentType))
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType,
                $"{request.Method} bodies must be Content-Type: application/json, was {(request.ContentType is null ? "missing" : $"'{request.ContentType}'")}");
            return;
        }
        await next(context);
    });

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) &&
        (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
}
