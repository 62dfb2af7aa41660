using Akka.Configuration;
using AkkaWal.Persistence;

namespace AkkaWal.Transactions;

/// <summary>The pipeline's HOCON defaults, including the serializer binding. Put it in the ActorSystem's config
/// (as a fallback) before the system starts: serializer bindings are read once at start.</summary>
public static class TransactionsConfig
{
    /// <summary>The defaults as HOCON text (hocon/transactions.reference.conf, embedded): every <c>akkawal.transactions</c>
    /// key with what it means, and the serializer binding of <see cref="Protocol.ITransactionsMessage"/>.</summary>
    public static string Hocon { get; } = ReadEmbedded();

    private const string ResourceName = "AkkaWal.Transactions.reference.conf";

    private static string ReadEmbedded()
    {
        using var stream = typeof(TransactionsConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from {typeof(TransactionsConfig).Assembly}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary><see cref="Hocon"/>, parsed.</summary>
    public static Config Default { get; } = ConfigurationFactory.ParseString(Hocon);

    /// <summary>The pipeline on the AkkaWal journal and snapshot store kept under <paramref name="directory"/>
    /// (<c>journal/</c> and <c>snapshots/</c>), with the defaults above as fallback.</summary>
    public static Config OnWal(string directory)
    {
        static string Quote(string path) => "\"" + path.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        return ConfigurationFactory.ParseString($$"""
                akka.extensions = ["AkkaWal.Persistence.WalPersistenceProvider, AkkaWal.Persistence"]
                akka.persistence.journal.wal.directory = {{Quote(WalDataDirectory.Journal(directory))}}
                akka.persistence.snapshot-store.wal.directory = {{Quote(WalDataDirectory.Snapshots(directory))}}
                """)
            .WithFallback(Default);
    }
}
