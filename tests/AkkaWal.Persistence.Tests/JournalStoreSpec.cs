using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using AkkaWal.Persistence.Journal;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>Journal rules checked at the store, below the journal actor.</summary>
public sealed class JournalStoreSpec(ITestOutputHelper output)
    : WalSpec(output, "akka.persistence.journal.wal.max-record-size = 4KiB")
{
    private JournalStore Store => WalPersistence.Get(Sys).Journal("akka.persistence.journal.wal");

    private AtomicWrite Write(long seqNr, object payload) => new(new Persistent(payload, seqNr, Pid, "", false, ActorRefs.NoSender, WriterGuid));

    [Fact]
    public async Task An_event_over_max_record_size_rejects_only_its_own_AtomicWrite()
    {
        var results = await Store.WriteAsync(new[] { Write(1, "small-1"), Write(2, new string('x', 10_000)), Write(3, "small-3") });
        Assert.NotNull(results);
        Assert.Null(results![0]);
        var rejection = Assert.IsType<JournalRecordTooLargeException>(results[1]);
        Assert.Contains("max-record-size", rejection.Message);
        Assert.Null(results[2]);

        var replayed = new List<IPersistentRepresentation>();
        Store.Replay(Pid, 1, long.MaxValue, long.MaxValue, replayed.Add, CancellationToken.None);
        Assert.Equal(new object[] { "small-1", "small-3" }, replayed.Select(p => p.Payload));
        Assert.Equal(3, await Store.ReadHighestSequenceNrAsync(Pid));
    }

    [Fact]
    public async Task ReadHighestSequenceNr_waits_for_outstanding_writes_of_the_id()
    {
        var writing = Store.WriteAsync(new[] { new AtomicWrite(Enumerable.Range(1, 50)
            .Select(i => (IPersistentRepresentation)new Persistent($"e{i}", i, Pid, "", false, ActorRefs.NoSender, WriterGuid)).ToImmutableList()) });
        // The write was only submitted; the highest must still cover it.
        Assert.Equal(50, await Store.ReadHighestSequenceNrAsync(Pid));
        Assert.Null(await writing);
    }

    [Fact]
    public async Task A_write_completes_only_when_it_is_visible_to_replay_and_queries()
    {
        for (var i = 1; i <= 20; i++)
        {
            Assert.Null(await Store.WriteAsync(new[] { Write(i, $"v{i}") }));
            var replayed = new List<IPersistentRepresentation>();
            Store.Replay(Pid, i, i, 1, replayed.Add, CancellationToken.None);
            Assert.Equal($"v{i}", Assert.Single(replayed).Payload);
            Assert.Equal(i, Store.ReadEventsOf(Pid, 0, i, 100, out _).Count);
        }
    }

    [Fact]
    public async Task Replay_of_one_id_reads_only_that_ids_records()
    {
        const string other = "other";
        for (var i = 1; i <= 10; i++)
        {
            Assert.Null(await Store.WriteAsync(new[] { Write(i, $"mine-{i}") }));
            Assert.Null(await Store.WriteAsync(new[] { new AtomicWrite(new Persistent($"other-{i}", i, other, "", false, ActorRefs.NoSender, WriterGuid)) }));
        }
        // Damage every record of the other id on disk (after the index was built): replaying it now fails,
        // replaying this id does not, so it never touches the other id's records.
        var damaged = 0;
        foreach (var record in Store.ReadLog().ToList())
        {
            var header = JournalRecordCodec.DecodeEventHeader(record.Payload.Span, record.Position);
            if (header.PersistenceId != other) continue;
            var segment = Store.Segments.Last(s => s.BaseOffset <= record.Position);
            LogFiles.Xor(segment.Path, record.Position - segment.BaseOffset + 12, 0xFF); // inside the payload, past the frame header
            damaged++;
        }
        Assert.Equal(10, damaged);

        var mine = new List<IPersistentRepresentation>();
        Store.Replay(Pid, 1, long.MaxValue, long.MaxValue, mine.Add, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (object)$"mine-{i}"), mine.Select(p => p.Payload));
        Assert.ThrowsAny<Exception>(() => Store.Replay(other, 1, long.MaxValue, long.MaxValue, _ => { }, CancellationToken.None));
    }

    [Fact]
    public async Task A_throwing_query_subscriber_fails_neither_a_write_nor_a_delete()
    {
        var woken = 0;
        Store.Changed += () => throw new InvalidOperationException("a query subscriber's bug");
        Store.Changed += () => Interlocked.Increment(ref woken);

        Assert.Null(await Store.WriteAsync(new[] { Write(1, "w1"), Write(2, "w2") }));
        await Store.DeleteMessagesToAsync(Pid, 1);

        var replayed = new List<IPersistentRepresentation>();
        Store.Replay(Pid, 1, long.MaxValue, long.MaxValue, replayed.Add, CancellationToken.None);
        Assert.Equal(new object[] { "w2" }, replayed.Select(p => p.Payload));
        Assert.Equal(2, Volatile.Read(ref woken)); // the other subscribers are still woken
    }

    [Fact]
    public async Task An_id_whose_only_write_was_rejected_is_not_reported()
    {
        var results = await Store.WriteAsync(new[] { new AtomicWrite(new Persistent(new string('x', 10_000), 1, "ghost", "", false, ActorRefs.NoSender, WriterGuid)) });
        Assert.IsType<JournalRecordTooLargeException>(Assert.Single(results!));
        Assert.Null(await Store.WriteAsync(new[] { Write(1, "real") }));
        Assert.Equal(new[] { Pid }, Store.PersistenceIdsFrom(0, 100));
    }
}
