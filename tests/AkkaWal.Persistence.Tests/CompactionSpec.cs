using Akka.Actor;
using Akka.Persistence;
using AkkaWal.Persistence.Configuration;
using AkkaWal.Persistence.Journal;
using AkkaWal.Storage;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>Compaction physically removes deleted records from the log while the highest sequence numbers survive.</summary>
public sealed class CompactionSpec(ITestOutputHelper output) : WalSpec(output, Extra)
{
    private const string Extra = "akka.persistence.journal.wal { segment-size = 8KiB, max-record-size = 4KiB, compaction.interval = off }";
    private const string JournalId = "akka.persistence.journal.wal";

    private void Persist(IActorRef actor, string prefix, int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            actor.Tell($"{prefix}-{i}");
            ExpectMsg($"{prefix}-{i}-done");
        }
    }

    /// <summary>(pid, seqNr) of every event record and the pids of every delete marker physically in the log.</summary>
    private (List<(string Pid, long SeqNr)> Events, List<string> Markers) LogContents()
    {
        var events = new List<(string, long)>();
        var markers = new List<string>();
        foreach (var record in WalPersistence.Get(Sys).Journal(JournalId).ReadLog())
        {
            if (JournalRecordCodec.KindOf(record.Payload.Span, record.Position) == JournalRecordKind.DeleteMarker)
                markers.Add(JournalRecordCodec.DecodeDeleteMarker(record.Payload.Span, record.Position).PersistenceId);
            else
            {
                var h = JournalRecordCodec.DecodeEventHeader(record.Payload.Span, record.Position);
                events.Add((h.PersistenceId, h.SequenceNr));
            }
        }
        return (events, markers);
    }

    private (List<object> Payloads, long Highest) Replay(string pid)
    {
        var probe = CreateTestProbe();
        Journal.Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, pid, probe.Ref));
        var payloads = new List<object>();
        while (true)
        {
            var m = probe.ExpectMsg<object>();
            if (m is ReplayedMessage r) payloads.Add(r.Persistent.Payload);
            else return (payloads, ((RecoverySuccess)m).HighestSequenceNr);
        }
    }

    [Fact]
    public async Task Removes_deleted_events_and_superseded_markers_but_keeps_highest()
    {
        var doomed = Sys.ActorOf(PersistingActor.Props("doomed"));
        var kept = Sys.ActorOf(PersistingActor.Props("kept"));
        Persist(doomed, "d", 1, 200);
        Persist(kept, "k", 1, 20);
        doomed.Tell(new PersistingActor.DeleteTo(100));
        ExpectMsg("100-deleted");
        doomed.Tell(new PersistingActor.DeleteTo(150));
        ExpectMsg("150-deleted");
        Persist(kept, "k", 21, 300); // pushes the deleted records into sealed segments

        Journal.Tell(WalJournal.Compact.Instance);
        var done = ExpectMsg<WalJournal.CompactionDone>();
        Assert.True(done.DeadBytesAfter < done.DeadBytesBefore, $"dead bytes {done.DeadBytesBefore} -> {done.DeadBytesAfter}");

        var (events, markers) = LogContents();
        Assert.DoesNotContain(events, e => e.Pid == "doomed" && e.SeqNr <= 150);
        Assert.Equal(50, events.Count(e => e.Pid == "doomed"));
        Assert.Equal(300, events.Count(e => e.Pid == "kept"));
        Assert.Equal(new[] { "doomed" }, markers); // the superseded marker (to 100) is gone

        var (payloads, highest) = Replay("doomed");
        Assert.Equal(Enumerable.Range(151, 50).Select(i => (object)$"d-{i}"), payloads);
        Assert.Equal(200, highest);

        // Delete everything, compact again: no event of doomed remains, its highest still does.
        doomed.Tell(new PersistingActor.DeleteTo(200));
        ExpectMsg("200-deleted");
        Persist(kept, "k", 301, 400);
        Journal.Tell(WalJournal.Compact.Instance);
        ExpectMsg<WalJournal.CompactionDone>();
        (events, markers) = LogContents();
        Assert.DoesNotContain(events, e => e.Pid == "doomed");
        Assert.Equal(new[] { "doomed" }, markers);
        (payloads, highest) = Replay("doomed");
        Assert.Empty(payloads);
        Assert.Equal(200, highest);
        Assert.Equal(400, Replay("kept").Payloads.Count);

        // And after a restart, from what compaction left on disk.
        Shutdown();
        using var again = ActorSystem.Create("after-compaction", SystemConfig(Dir, Extra));
        var (doomedEvents, doomedHighest) = await RestartSpec.Replay(again, "doomed");
        Assert.Empty(doomedEvents);
        Assert.Equal(200, doomedHighest);
        var (keptEvents, keptHighest) = await RestartSpec.Replay(again, "kept");
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (object)$"k-{i}"), keptEvents.Select(e => e.Payload));
        Assert.Equal(400, keptHighest);
        await again.Terminate();
    }
}

/// <summary>Orderings are never handed out twice: the high-water ordering survives deleting and compacting the tail.</summary>
public sealed class HighWaterOrderingSpec(ITestOutputHelper output) : WalSpec(output, Extra)
{
    private const string Extra = "akka.persistence.journal.wal { segment-size = 8KiB, max-record-size = 4KiB, compaction.interval = off }";
    private const string JournalId = "akka.persistence.journal.wal";

    private static List<long> EventOrderings(ActorSystem system) =>
        WalPersistence.Get(system).Journal(JournalId).ReadLog()
            .Where(r => JournalRecordCodec.KindOf(r.Payload.Span, r.Position) == JournalRecordKind.Event)
            .Select(r => JournalRecordCodec.DecodeEventHeader(r.Payload.Span, r.Position).Ordering).ToList();

    [Fact]
    public async Task New_orderings_are_above_every_earlier_one_after_the_tail_is_deleted_compacted_and_the_journal_restarted()
    {
        var kept = Sys.ActorOf(PersistingActor.Props("kept"));
        var tail = Sys.ActorOf(PersistingActor.Props("tail"));
        for (var i = 1; i <= 10; i++) { kept.Tell($"k-{i}"); ExpectMsg($"k-{i}-done"); }
        for (var i = 1; i <= 200; i++) { tail.Tell($"t-{i}"); ExpectMsg($"t-{i}-done"); }
        var highestUsed = EventOrderings(Sys).Max();
        // Delete the tail one event at a time: the markers fill the active segment, so every tail event ends up in a
        // sealed segment that compaction rewrites, and the active segment holds only delete markers.
        for (var i = 1; i <= 200; i++) { tail.Tell(new PersistingActor.DeleteTo(i)); ExpectMsg($"{i}-deleted"); }
        Journal.Tell(WalJournal.Compact.Instance);
        ExpectMsg<WalJournal.CompactionDone>();
        Assert.True(EventOrderings(Sys).Max() < highestUsed, "the test needs the highest-ordering events compacted away");

        Shutdown();
        using var again = ActorSystem.Create("after-tail-compaction", SystemConfig(Dir, Extra));
        var probe = new Akka.TestKit.TestProbe(again, new Akka.TestKit.Xunit2.XunitAssertions());
        var writer = again.ActorOf(PersistingActor.Props("new"));
        writer.Tell("n-1", probe.Ref);
        probe.ExpectMsg("n-1-done", TimeSpan.FromSeconds(30));
        var newOrdering = EventOrderings(again).Max();
        Assert.True(newOrdering > highestUsed, $"ordering {newOrdering} was handed out again (highest used before: {highestUsed})");
        await again.Terminate();
    }
}

/// <summary>The journal compacts on its own schedule once enough dead bytes wait.</summary>
public sealed class ScheduledCompactionSpec(ITestOutputHelper output)
    : WalSpec(output, "akka.persistence.journal.wal { segment-size = 8KiB, max-record-size = 4KiB, compaction { interval = 200ms, dead-bytes-threshold = 1KiB } }")
{
    [Fact]
    public async Task Compacts_on_the_configured_interval()
    {
        var actor = Sys.ActorOf(PersistingActor.Props("scheduled"));
        for (var i = 1; i <= 300; i++)
        {
            actor.Tell($"s-{i}");
            ExpectMsg($"s-{i}-done");
        }
        actor.Tell(new PersistingActor.DeleteTo(250));
        ExpectMsg("250-deleted");
        var store = WalPersistence.Get(Sys).Journal("akka.persistence.journal.wal");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        // The log shrinks at the engine's rename; the store settles its dead-byte count just after: wait for both.
        while (store.ReadLog().Count() > 60 || store.DeadBytes >= 1024)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no compaction within 30 s; {store.ReadLog().Count()} records, {store.DeadBytes} dead bytes");
            await Task.Delay(50);
        }
    }
}

/// <summary>Pruning the ordering lists after compaction goes a chunk at a time and loses nothing published meanwhile.</summary>
public sealed class IndexPruningSpec
{
    [Fact]
    public void Prunes_in_bounded_steps_and_keeps_an_event_published_between_steps()
    {
        var index = new JournalIndex();
        var a = index.GetOrAdd("a");
        for (var i = 1; i <= 10; i++)
        {
            index.AddEvent(a, i, i * 100, 10);
            index.Publish(new LogEntry(i, i * 100, a, i), new[] { "t" });
        }
        index.ApplyDelete(new DeleteMarker("a", 5, 10, 10), 5000, 20);

        foreach (var tag in new string?[] { null, "t" })
        {
            var kept = new List<LogEntry>();
            var next = 0;
            Assert.False(index.PruneStep(tag, kept, ref next, 3)); // a step stops after its chunk
            Assert.Equal(3, next);
            if (tag is null)
            {
                index.AddEvent(a, 11, 1100, 10); // a write lands between two steps
                index.Publish(new LogEntry(11, 1100, a, 11), new[] { "t" });
            }
            var steps = 1;
            while (!index.PruneStep(tag, kept, ref next, 3)) steps++;
            Assert.True(steps >= 3);
            Assert.Equal(Enumerable.Range(6, 6).Select(i => (long)i), index.EntriesAfter(tag, 0, long.MaxValue, 100).Select(e => e.Ordering));
        }
    }
}

/// <summary>A Compact request that finds another compaction running says so instead of claiming it was done.</summary>
public sealed class CompactionSkippedSpec(ITestOutputHelper output) : WalSpec(output, Extra)
{
    private const string Extra = "akka.persistence.journal.wal { segment-size = 8KiB, max-record-size = 4KiB, compaction.interval = off }";
    private const string JournalId = "akka.persistence.journal.wal";

    [Fact]
    public void A_compaction_request_during_a_running_compaction_is_answered_CompactionSkipped()
    {
        var fs = new FaultInjectingFileSystem();
        WalPersistence.Get(Sys).OpenJournal(JournalSettings.Create(Sys.Settings.Config.GetConfig(JournalId), JournalId) with { FileSystem = fs });
        var actor = Sys.ActorOf(PersistingActor.Props("c"));
        for (var i = 1; i <= 300; i++) { actor.Tell($"c-{i}"); ExpectMsg($"c-{i}-done"); }
        actor.Tell(new PersistingActor.DeleteTo(250));
        ExpectMsg("250-deleted");

        using var rewriting = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        fs.OnOperation = (op, path) =>
        {
            if (op != FaultOperation.Create || !path.EndsWith(".tmp", StringComparison.Ordinal) || release.IsSet) return;
            rewriting.Set();
            release.Wait(TimeSpan.FromMinutes(2)); // holds the first compaction inside its rewrite
        };
        var first = CreateTestProbe();
        Journal.Tell(WalJournal.Compact.Instance, first.Ref);
        Assert.True(rewriting.Wait(TimeSpan.FromMinutes(1)), "the first compaction never started rewriting a segment");

        Journal.Tell(WalJournal.Compact.Instance);
        Assert.Contains("in progress", ExpectMsg<WalJournal.CompactionSkipped>().Reason);

        release.Set();
        first.ExpectMsg<WalJournal.CompactionDone>(TimeSpan.FromMinutes(1));
    }
}
