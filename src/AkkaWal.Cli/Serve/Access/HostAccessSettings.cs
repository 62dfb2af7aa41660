using Akka.Configuration;
using AkkaWal.Cli.Hosting.Configuration;

namespace AkkaWal.Cli.Serve.Access;

/// <summary>Who may reach `akkawal serve` and how much it takes on: the access keys of <c>akkawal.host</c> (read and checked
/// by <see cref="AkkaWalHostSettings"/>) and the request body limit derived from <c>akkawal.transactions.max-changes-bytes</c>.</summary>
public sealed record HostAccessSettings(
    string? AdminToken,
    string? ApiToken,
    IReadOnlyList<string> AllowedHosts,
    int MaxConcurrentRequests,
    int RequestQueueLimit,
    TimeSpan HttpRequestTimeout,
    long MaxRequestBodyBytes)
{
    public const string AdminTokenKey = "akkawal.host.admin-token";
    public const string ApiTokenKey = "akkawal.host.api-token";

    /// <summary>Room in a prepare's body besides its changes: the id (at most 256 characters, escaped) and the JSON around.</summary>
    public const long BodyOverheadBytes = 16 * 1024;

    public static HostAccessSettings Create(Config config)
    {
        var host = AkkaWalHostSettings.Create(config.WithFallback(HostingConfig.Default));
        var maxChanges = config.WithFallback(AkkaWal.Transactions.TransactionsConfig.Default).GetInt("akkawal.transactions.max-changes-bytes");
        return new HostAccessSettings(host.AdminToken, host.ApiToken, host.AllowedHosts, host.MaxConcurrentRequests,
            host.RequestQueueLimit, host.HttpRequestTimeout, maxChanges + BodyOverheadBytes);
    }
}
