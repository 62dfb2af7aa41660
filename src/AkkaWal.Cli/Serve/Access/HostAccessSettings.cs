using Akka.Configuration;
using AkkaWal.Cli.Hosting.Configuration;

namespace AkkaWal.Cli.Serve.Access;

/// <summary>Who may reach `akkawal serve` and how much it takes on: the access keys of <c>akkawal.host</c> (validated
/// by <see cref="AkkaWalConfigValidator"/>) and the request body limit derived from <c>akkawal.transactions.max-changes-bytes</c>.</summary>
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
        var host = config.WithFallback(HostingConfig.Default).GetConfig("akkawal.host");
        var maxChanges = config.WithFallback(AkkaWal.Transactions.TransactionsConfig.Default).GetInt("akkawal.transactions.max-changes-bytes");
        return new HostAccessSettings(
            NullIfEmpty(host.GetString("admin-token")),
            NullIfEmpty(host.GetString("api-token")),
            host.GetStringList("allowed-hosts").ToArray(),
            host.GetInt("max-concurrent-requests"),
            host.GetInt("request-queue-limit"),
            host.GetTimeSpan("http-request-timeout"),
            maxChanges + BodyOverheadBytes);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
