using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AkkaWal.Cli.Serve.Access;

/// <summary>The two tokens the host knows: the admin token grants every role, the API token the "api" role.</summary>
public sealed class BearerTokenOptions : AuthenticationSchemeOptions
{
    public string AdminToken { get; set; } = "";
    public string? ApiToken { get; set; }
}

/// <summary>
/// Authenticates <c>Authorization: Bearer TOKEN</c> against the configured tokens (compared in constant time), for
/// ASP.NET Core's authorization policies to decide on; a challenge answers 401 with <c>WWW-Authenticate: Bearer</c>.
/// </summary>
public sealed class BearerTokenHandler(IOptionsMonitor<BearerTokenOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<BearerTokenOptions>(options, logger, encoder)
{
    public const string SchemeName = "AkkaWalBearer";
    public const string AdminRole = "admin";
    public const string ApiRole = "api";
    private const string Prefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        var token = header[Prefix.Length..].Trim();
        string[]? roles = Matches(token, Options.AdminToken) ? [AdminRole, ApiRole]
            : Matches(token, Options.ApiToken) ? [ApiRole]
            : null;
        if (roles is null)
            return Task.FromResult(AuthenticateResult.Fail("the bearer token is not one of this host's tokens"));
        var identity = new ClaimsIdentity(roles.Select(r => new Claim(ClaimTypes.Role, r)), SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ProblemResponses.WriteAsync(Context, 401, ChallengeDetail(Request.Path));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteAsync(Context, 403, $"{Request.Path} needs the admin token ({HostAccessSettings.AdminTokenKey}); the API token does not grant it");

    private static bool Matches(string presented, string? expected) =>
        expected is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static string ChallengeDetail(string? path) => path is not null && path.StartsWith("/admin", StringComparison.Ordinal)
        ? $"{path} needs Authorization: Bearer with the admin token ({HostAccessSettings.AdminTokenKey}, or the file DATA/{AdminTokenFile.FileName} the host wrote at start)"
        : $"{path} needs Authorization: Bearer with the API token ({HostAccessSettings.ApiTokenKey})";
}
