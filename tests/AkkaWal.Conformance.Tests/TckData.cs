using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.TestKit;
using AkkaWal.Persistence;
using AkkaWal.Persistence.Query;

namespace AkkaWal.Conformance.Tests;

/// <summary>
/// The one configuration every conformance spec runs on: AkkaWal's plugins selected, their directories in a fresh temp
/// directory, and otherwise nothing but hocon/reference.conf. Owns the directory: <see cref="Release"/> stops the actor
/// system first (the plugins open lazily and would recreate a deleted directory), then deletes it.
/// </summary>
public sealed class TckData
{
    private readonly TempDirectory _directory = new("akkawal-tck-");

    /// <summary>Plugin selection and directories, with reference.conf as the only fallback.</summary>
    public Config Config => ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.plugin = "akka.persistence.journal.wal"
        akka.persistence.journal.wal.directory = "{{_directory.Path}}/journal"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.wal"
        akka.persistence.snapshot-store.wal.directory = "{{_directory.Path}}/snapshots"
        """).WithFallback(WalPersistence.DefaultConfiguration());

    /// <summary>
    /// <see cref="Config"/> plus the tagging event adapter the query specs expect on the journal (the TCK's own
    /// ColorFruitTagger, bound to strings, as every plugin's query specs configure it).
    /// </summary>
    public Config QueryConfig => ConfigurationFactory.ParseString("""
        akka.persistence.journal.wal.event-adapters {
          color-tagger = "Akka.Persistence.TCK.Query.ColorFruitTagger, Akka.Persistence.TCK"
        }
        akka.persistence.journal.wal.event-adapter-bindings {
          "System.String" = color-tagger
        }
        """).WithFallback(Config);

    /// <summary>AkkaWal's read journal in <paramref name="system"/>, the one the query specs test.</summary>
    public static IReadJournal ReadJournal(ActorSystem system) =>
        PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);

    /// <summary>
    /// Runs <paramref name="specDispose"/> (a spec's own clean-up, if it has one), shuts <paramref name="kit"/>'s actor
    /// system down (waiting for it), then deletes the directory.
    /// </summary>
    public void Release(TestKitBase kit, Action? specDispose = null)
    {
        try
        {
            specDispose?.Invoke();
            kit.Shutdown(verifySystemShutdown: true);
        }
        finally
        {
            _directory.Dispose();
        }
    }
}
