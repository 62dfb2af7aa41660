namespace AkkaWal.Hosting.Tests.Serve;

/// <summary>The journal every serve test runs on, chosen here only (as --set settings on top of akkawal.conf).</summary>
public static class TestJournal
{
    /// <summary>Extra settings for a host on the AkkaWal journal (the default of akkawal.conf): none.</summary>
    public static IReadOnlyList<string> Settings { get; } =
    [
        "akkawal.transactions.partitions=4",
        // Until the AkkaWal journal is on main: Akka's in-memory journal (one per ActorSystem, so not for restarts).
        "akkawal.transactions.journal-plugin=akka.persistence.journal.inmem",
        "akkawal.transactions.snapshot-plugin=akka.persistence.snapshot-store.local",
    ];
}
