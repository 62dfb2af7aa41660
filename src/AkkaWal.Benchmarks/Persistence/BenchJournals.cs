using Akka.Configuration;
using AkkaWal.Persistence;

namespace AkkaWal.Benchmarks.Persistence;

/// <summary>One journal under test: its name and the actor-system configuration that selects it.</summary>
public sealed record BenchJournal(string Name, Func<string, Config> ConfigFor, bool Durable);

/// <summary>The journals compared: AkkaWal (fsync before every acknowledgement), Akka.Persistence.Sql on SQLite, Akka's in-memory journal.</summary>
public static class BenchJournals
{
    private static readonly Config Common = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    public static BenchJournal AkkaWal { get; } = new("AkkaWal", dir => ConfigurationFactory.ParseString($"""
        akka.persistence.journal.plugin = "akka.persistence.journal.wal"
        akka.persistence.journal.wal.directory = "{dir}/akkawal"
        akka.persistence.journal.wal.durability = always
        """).WithFallback(Common).WithFallback(WalPersistence.DefaultConfiguration()), Durable: true);

    public static BenchJournal SqlSqlite { get; } = new("Akka.Persistence.Sql (SQLite)", dir => ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.plugin = "akka.persistence.journal.sql"
        akka.persistence.journal.sql {
          connection-string = "Data Source={{dir}}/sql.db"
          provider-name = "SQLite.MS"
          auto-initialize = true
        }
        """).WithFallback(Common).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration), Durable: true);

    public static BenchJournal InMemory { get; } = new("in-memory", _ => ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        """).WithFallback(Common), Durable: false);

    public static IReadOnlyList<BenchJournal> All { get; } = [AkkaWal, SqlSqlite, InMemory];
}
