using Akka.Actor;
using AkkaWal.Persistence.Journal;

namespace AkkaWal.Cli.Serve;

/// <summary>The AkkaWal journal's own compaction (sealed segments rewritten without deleted records), on demand.</summary>
public sealed record JournalCompaction(long DeadBytesBefore, long DeadBytesAfter, string? SkippedBecause = null)
{
    public static async Task<JournalCompaction> RunAsync(ActorSystem system, string journalPluginId, TimeSpan timeout, CancellationToken ct)
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(journalPluginId);
        return await journal.Ask<object>(WalJournal.Compact.Instance, timeout, ct) switch
        {
            WalJournal.CompactionDone done => new JournalCompaction(done.DeadBytesBefore, done.DeadBytesAfter),
            WalJournal.CompactionSkipped skipped => new JournalCompaction(0, 0, skipped.Reason),
            Status.Failure failure => throw failure.Cause,
            var other => throw new InvalidOperationException($"unexpected reply {other?.GetType().Name} to {nameof(WalJournal.Compact)}"),
        };
    }
}
