namespace AkkaWal.Cli.Serve;

/// <summary>What `akkawal serve` was asked for on its command line.</summary>
public sealed record ServeOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5080";
    public const string DefaultConfigFile = "hocon/akkawal.conf";

    /// <summary>The HOCON file; null means the default (hocon/akkawal.conf in the working directory, else next to the binary).</summary>
    public string? ConfigFile { get; init; }
    public string DataDirectory { get; init; } = "./data";
    public string Urls { get; init; } = DefaultUrls;
    /// <summary>`--set key=value` settings, highest priority.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];
}
