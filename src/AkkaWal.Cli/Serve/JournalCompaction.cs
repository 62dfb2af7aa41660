using Akka.Actor;
using AkkaWal.Persistence.Journal;

namespace AkkaWal.Cli.Serve;

/// <summary>The AkkaWal journal's own compaction (sealed segments rewritten without deleted records), on demand.</summary>
public sealed record JournalCompaction(long DeadBytesBefore, long DeadBytesAfter)
{
    public static async Task<JournalCompaction> RunAsync(ActorSystem system, string journalPluginId, TimeSpan timeout, CancellationToken ct)
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(journalPluginId);
        var done = await journal.Ask<WalJournal.CompactionDone>(WalJournal.Compact.Instance, timeout, ct);
        return new JournalCompaction(done.DeadBytesBefore, done.DeadBytesAfter);
    }
}
