using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>The journals compared, each configured as the default journal of its own ActorSystem.</summary>
public enum JournalKind { AkkaWal, SqlSqlite, InMemory }

public static class JournalUnderTest
{
    public static string Name(JournalKind kind) => kind switch
    {
        JournalKind.AkkaWal => "AkkaWal (durability always)",
        JournalKind.SqlSqlite => "Akka.Persistence.Sql 1.5.73 on SQLite (file)",
        JournalKind.InMemory => "in-memory journal",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string ShortName(JournalKind kind) => kind switch
    {
        JournalKind.AkkaWal => "AkkaWal",
        JournalKind.SqlSqlite => "Sql/SQLite",
        JournalKind.InMemory => "in-memory",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The configuration of a system whose default journal is <paramref name="kind"/>, storing under <paramref name="directory"/>.</summary>
    public static Config Configure(JournalKind kind, string directory)
    {
        var journal = kind switch
        {
            JournalKind.AkkaWal => $$"""
                akka.persistence.journal.plugin = "akka.persistence.journal.wal"
                akka.persistence.journal.wal {
                  directory = "{{Escape(Path.Combine(directory, "wal"))}}"
                  durability = always
                  compaction.interval = off
                }
                """,
            JournalKind.SqlSqlite => $$"""
                akka.persistence.journal.plugin = "akka.persistence.journal.sql"
                akka.persistence.journal.sql {
                  connection-string = "{{Escape(SqliteConnectionString(directory))}}"
                  provider-name = "{{LinqToDB.ProviderName.SQLiteMS}}"
                  auto-initialize = true
                }
                """,
            JournalKind.InMemory => """
                akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        var config = ConfigurationFactory.ParseString(journal + "\n" + """
                akka.loglevel = WARNING
                akka.persistence.snapshot-store.plugin = "akka.persistence.no-snapshot-store"
                """ + "\n" + BenchEventSerializer.Hocon);
        if (kind == JournalKind.AkkaWal) config = config.WithFallback(AkkaWal.Persistence.WalPersistence.DefaultConfiguration());
        if (kind == JournalKind.SqlSqlite) config = config.WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
        return config;
    }

    public static string SqliteConnectionString(string directory) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "journal.db") }.ToString();

    /// <summary>
    /// Creates the SQLite database in WAL mode (persistent in the file; SQLite's faster durable mode: one fsync of
    /// the WAL per commit instead of the rollback journal's several) and returns the effective journal_mode and
    /// synchronous settings, so the report states how durable the peer was.
    /// </summary>
    public static string PrepareSqlite(string directory)
    {
        Directory.CreateDirectory(directory);
        using var connection = new SqliteConnection(SqliteConnectionString(directory));
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL;";
            setup.ExecuteNonQuery();
        }
        // What the plugin's connections get: a fresh connection to a database already in WAL mode (SQLite may be
        // built with a different synchronous default for WAL databases).
        using var fresh = new SqliteConnection(SqliteConnectionString(directory) + ";Pooling=False");
        fresh.Open();
        using var command = fresh.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        var mode = command.ExecuteScalar();
        command.CommandText = "PRAGMA synchronous;";
        var synchronous = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        var syncName = synchronous switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", _ => synchronous.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return $"journal_mode={mode}, synchronous={syncName}";
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
