namespace AkkaWal.Cli.Tests.Serve;

/// <summary>The journal every serve test runs on, chosen here only (as --set settings on top of akkawal.conf).</summary>
public static class TestJournal
{
    /// <summary>Extra settings for a host on the AkkaWal journal (the default of akkawal.conf): fewer partitions, so
    /// each host starts faster.</summary>
    public static IReadOnlyList<string> Settings { get; } =
    [
        "akkawal.transactions.partitions=4",
    ];
}
