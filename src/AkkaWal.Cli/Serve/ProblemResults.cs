using Microsoft.AspNetCore.Http;

namespace AkkaWal.Cli.Serve;

/// <summary>RFC 9457 problem bodies (application/problem+json) for every refused request.</summary>
internal static class ProblemResults
{
    public static IResult BadRequest(string detail, string? txId = null, string? reason = null) =>
        Problem(StatusCodes.Status400BadRequest, "Bad request", detail, txId, reason);

    public static IResult NotFound(string detail, string? txId = null, string? reason = null) =>
        Problem(StatusCodes.Status404NotFound, "Not found", detail, txId, reason);

    /// <summary>409; <paramref name="details"/> adds members such as the conflicting key, the lock holder or the versions.</summary>
    public static IResult Conflict(string detail, string? txId = null, string? reason = null, Dictionary<string, object?>? details = null) =>
        Problem(StatusCodes.Status409Conflict, "Conflict", detail, txId, reason, details);

    public static IResult Unavailable(string detail, string? txId = null) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Not acknowledged", detail, txId, null);

    private static IResult Problem(int status, string title, string detail, string? txId, string? reason, Dictionary<string, object?>? details = null)
    {
        var extensions = details ?? new Dictionary<string, object?>();
        if (txId is not null) extensions["txId"] = txId;
        if (reason is not null) extensions["reason"] = reason;
        return Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }
}
