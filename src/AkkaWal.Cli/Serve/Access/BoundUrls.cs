using System.Net;

namespace AkkaWal.Cli.Serve.Access;

/// <summary>What a `--urls` list binds: whether it stays on loopback, and the Host header names it answers to.</summary>
public sealed record BoundUrls(IReadOnlyList<string> Hosts)
{
    // Kestrel's spellings of "every interface".
    private static readonly string[] Wildcards = ["*", "+", "0.0.0.0", "[::]", "::"];

    /// <summary>Parses an ASP.NET Core URL list ("http://127.0.0.1:5080;http://localhost:5081").</summary>
    public static BoundUrls Parse(string urls)
    {
        var hosts = new List<string>();
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel accepts "http://*:80" and "http://+:80", which System.Uri refuses: read the host by hand.
            var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
            rest = rest.Split('/')[0];
            var host = rest.StartsWith('[') ? rest[..(rest.IndexOf(']') + 1)] : rest.Split(':')[0];
            hosts.Add(host.ToLowerInvariant());
        }
        return new BoundUrls(hosts);
    }

    /// <summary>True when every URL binds a loopback address or localhost: nobody else on the network reaches it.</summary>
    public bool LoopbackOnly => Hosts.All(IsLoopback);

    /// <summary>The Host header names to accept: each bound name (loopback ones also as localhost and their
    /// addresses), plus <paramref name="configured"/>; "*" (any) only when a wildcard binding has none configured.</summary>
    public IReadOnlyList<string> AllowedHosts(IReadOnlyList<string> configured)
    {
        var allowed = new List<string>(configured);
        foreach (var host in Hosts)
        {
            if (Wildcards.Contains(host))
            {
                if (configured.Count == 0) return ["*"];
                continue;
            }
            allowed.Add(host);
            if (IsLoopback(host)) allowed.AddRange(["localhost", "127.0.0.1", "[::1]"]);
        }
        return allowed.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
}
