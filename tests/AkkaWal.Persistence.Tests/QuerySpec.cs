using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.TestKit;
using AkkaWal.Persistence.Query;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>
/// The query cases of Akka's query specs (TCK) on AkkaWal's read journal. The polling fallback is set to 10 minutes,
/// so every live test also proves that the journal wakes the queries itself.
/// </summary>
public sealed class QuerySpec : WalSpec
{
    private readonly ActorMaterializer _materializer;
    private readonly WalReadJournal _queries;

    public QuerySpec(ITestOutputHelper output)
        : base(output, "akka.persistence.query.journal.wal { refresh-interval = 10m, max-buffer-size = 7 }")
    {
        _materializer = Sys.Materializer();
        _queries = PersistenceQuery.Get(Sys).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);
    }

    private IActorRef Writer(string pid) => Sys.ActorOf(PersistingActor.Props(pid));

    private void Persist(IActorRef writer, params string[] events)
    {
        foreach (var e in events)
        {
            writer.Tell(e);
            ExpectMsg($"{e}-done");
        }
    }

    private TestSubscriber.Probe<T> Run<T>(Akka.Streams.Dsl.Source<T, Akka.NotUsed> source) => source.RunWith(this.SinkProbe<T>(), _materializer);

    private static EventEnvelope ExpectEnvelope(TestSubscriber.Probe<EventEnvelope> probe, string pid, long seqNr, string @event, string? tag = null)
    {
        var envelope = probe.ExpectNext();
        Assert.Equal(pid, envelope.PersistenceId);
        Assert.Equal(seqNr, envelope.SequenceNr);
        Assert.Equal(@event, envelope.Event);
        Assert.True(envelope.Timestamp > 0);
        if (tag is not null) Assert.Contains(tag, envelope.Tags);
        return envelope;
    }

    private void WriteColours()
    {
        var a = Writer("a");
        var b = Writer("b");
        Persist(a, "hello");
        Persist(a, "a green apple");
        Persist(b, "a black car");
        Persist(a, "something else");
        Persist(a, "a green banana");
        Persist(b, "a green leaf");
    }

    [Fact]
    public void CurrentEventsByTag_finds_existing_events()
    {
        WriteColours();
        var probe = Run(_queries.CurrentEventsByTag("green", Offset.NoOffset()));
        probe.Request(2);
        ExpectEnvelope(probe, "a", 2, "a green apple", "green");
        ExpectEnvelope(probe, "a", 4, "a green banana", "green");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        probe.Request(2);
        ExpectEnvelope(probe, "b", 2, "a green leaf", "green");
        probe.ExpectComplete();

        var black = Run(_queries.CurrentEventsByTag("black", Offset.NoOffset()));
        black.Request(5);
        ExpectEnvelope(black, "b", 1, "a black car", "black");
        black.ExpectComplete();

        var apple = Run(_queries.CurrentEventsByTag("apple", Offset.NoOffset()));
        apple.Request(5);
        var envelope = ExpectEnvelope(apple, "a", 2, "a green apple", "apple");
        Assert.Equal(new[] { "apple", "green" }, envelope.Tags.OrderBy(t => t));
        apple.ExpectComplete();
    }

    [Fact]
    public void CurrentEventsByTag_completes_when_there_are_no_events()
    {
        WriteColours();
        Run(_queries.CurrentEventsByTag("pink", Offset.NoOffset())).Request(2).ExpectComplete();
    }

    [Fact]
    public void CurrentEventsByTag_does_not_see_events_written_after_it_started()
    {
        WriteColours();
        var c = Writer("c");
        var probe = Run(_queries.CurrentEventsByTag("green", Offset.NoOffset()));
        probe.Request(2);
        ExpectEnvelope(probe, "a", 2, "a green apple");
        ExpectEnvelope(probe, "a", 4, "a green banana");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Persist(c, "a green cucumber");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        probe.Request(5);
        ExpectEnvelope(probe, "b", 2, "a green leaf");
        probe.ExpectComplete();
    }

    [Fact]
    public void CurrentEventsByTag_offset_is_exclusive()
    {
        WriteColours();
        Persist(Writer("c"), "a green cucumber");
        var probe1 = Run(_queries.CurrentEventsByTag("green", Offset.NoOffset()));
        probe1.Request(2);
        ExpectEnvelope(probe1, "a", 2, "a green apple");
        var offset = ExpectEnvelope(probe1, "a", 4, "a green banana").Offset;
        probe1.Cancel();

        var probe2 = Run(_queries.CurrentEventsByTag("green", offset));
        probe2.Request(10);
        ExpectEnvelope(probe2, "b", 2, "a green leaf");
        ExpectEnvelope(probe2, "c", 1, "a green cucumber");
        probe2.ExpectComplete();
    }

    [Fact]
    public void CurrentEventsByTag_returns_150_tagged_events_of_several_ids_complete_and_in_order()
    {
        var writers = Enumerable.Range(0, 3).Select(i => Writer("w" + i)).ToArray();
        var written = new List<(string Pid, long SeqNr)>();
        for (var i = 0; i < 150; i++)
        {
            Persist(writers[i % 3], $"green {i}");
            written.Add(("w" + (i % 3), i / 3 + 1));
        }
        var probe = Run(_queries.CurrentEventsByTag("green", Offset.NoOffset()));
        probe.Request(150); // exactly the stored count, as the TCK does: completion must not need another pull
        long previous = 0;
        for (var i = 0; i < 150; i++)
        {
            var envelope = ExpectEnvelope(probe, written[i].Pid, written[i].SeqNr, $"green {i}", "green");
            var ordering = ((Sequence)envelope.Offset).Value;
            Assert.True(ordering > previous);
            previous = ordering;
        }
        probe.ExpectComplete();
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void EventsByTag_live_sees_new_events_without_polling()
    {
        var b = Writer("b");
        var d = Writer("d");
        Persist(b, "a black car");
        var probe = Run(_queries.EventsByTag("black", Offset.NoOffset()));
        probe.Request(2);
        ExpectEnvelope(probe, "b", 1, "a black car");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Persist(d, "a black dog", "a black night");
        ExpectEnvelope(probe, "d", 1, "a black dog");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        probe.Request(10);
        ExpectEnvelope(probe, "d", 2, "a black night");
        probe.Cancel();
    }

    [Fact]
    public void EventsByTag_live_offset_is_exclusive()
    {
        WriteColours();
        var probe1 = Run(_queries.EventsByTag("green", Offset.NoOffset()));
        probe1.Request(2);
        ExpectEnvelope(probe1, "a", 2, "a green apple");
        var offset = ExpectEnvelope(probe1, "a", 4, "a green banana").Offset;
        probe1.Cancel();

        var probe2 = Run(_queries.EventsByTag("green", offset));
        probe2.Request(10);
        ExpectEnvelope(probe2, "b", 2, "a green leaf");
        Persist(Writer("c"), "a green cucumber");
        ExpectEnvelope(probe2, "c", 1, "a green cucumber");
        probe2.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        probe2.Cancel();
    }

    [Fact]
    public void CurrentEventsByPersistenceId_honours_bounds_and_skips_deleted_events()
    {
        var a = Writer("a");
        Persist(a, "a-1", "a-2", "a-3", "a-4", "a-5");
        var all = Run(_queries.CurrentEventsByPersistenceId("a", 0, long.MaxValue));
        all.Request(10);
        for (var i = 1; i <= 5; i++) ExpectEnvelope(all, "a", i, $"a-{i}");
        all.ExpectComplete();

        var some = Run(_queries.CurrentEventsByPersistenceId("a", 2, 3));
        some.Request(10);
        ExpectEnvelope(some, "a", 2, "a-2");
        ExpectEnvelope(some, "a", 3, "a-3");
        some.ExpectComplete();

        a.Tell(new PersistingActor.DeleteTo(2));
        ExpectMsg("2-deleted");
        var afterDelete = Run(_queries.CurrentEventsByPersistenceId("a", 0, long.MaxValue));
        afterDelete.Request(10);
        ExpectEnvelope(afterDelete, "a", 3, "a-3");
        ExpectEnvelope(afterDelete, "a", 4, "a-4");
        ExpectEnvelope(afterDelete, "a", 5, "a-5");
        afterDelete.ExpectComplete();

        Run(_queries.CurrentEventsByPersistenceId("unknown", 0, long.MaxValue)).Request(1).ExpectComplete();
    }

    [Fact]
    public void EventsByPersistenceId_live_sees_new_events_and_completes_at_the_upper_bound()
    {
        var a = Writer("a");
        Persist(a, "a-1", "a-2");
        var probe = Run(_queries.EventsByPersistenceId("a", 0, 4));
        probe.Request(10);
        ExpectEnvelope(probe, "a", 1, "a-1");
        ExpectEnvelope(probe, "a", 2, "a-2");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Persist(a, "a-3", "a-4", "a-5");
        ExpectEnvelope(probe, "a", 3, "a-3");
        ExpectEnvelope(probe, "a", 4, "a-4");
        probe.ExpectComplete();
    }

    [Fact]
    public void AllEvents_returns_every_event_in_global_order_and_the_offset_is_exclusive()
    {
        WriteColours();
        var expected = new[] { ("a", 1L, "hello"), ("a", 2L, "a green apple"), ("b", 1L, "a black car"), ("a", 3L, "something else"),
            ("a", 4L, "a green banana"), ("b", 2L, "a green leaf") };
        var current = Run(_queries.CurrentAllEvents(Offset.NoOffset()));
        current.Request(20);
        var offsets = expected.Select(e => ExpectEnvelope(current, e.Item1, e.Item2, e.Item3).Offset).ToList();
        current.ExpectComplete();

        var live = Run(_queries.AllEvents(offsets[2]));
        live.Request(20);
        foreach (var e in expected.Skip(3)) ExpectEnvelope(live, e.Item1, e.Item2, e.Item3);
        Persist(Writer("c"), "late");
        ExpectEnvelope(live, "c", 1, "late");
        live.Cancel();
    }

    [Fact]
    public void PersistenceIds_live_reports_each_id_once_including_new_ones()
    {
        Persist(Writer("e"), "e-1", "e-2", "e-3");
        Persist(Writer("f"), "f-1");
        var probe = Run(_queries.PersistenceIds());
        probe.Request(5).ExpectNextUnordered("e", "f");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Persist(Writer("g"), "g-1");
        probe.ExpectNext("g");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        probe.Cancel();
    }

    [Fact]
    public void CurrentPersistenceIds_includes_ids_that_only_have_snapshots()
    {
        Persist(Writer("h"), "h-1");
        var sender = CreateTestProbe();
        SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata("snap-only", 7, DateTime.MinValue), "state"), sender.Ref);
        sender.ExpectMsg<SaveSnapshotSuccess>();
        var probe = Run(_queries.CurrentPersistenceIds());
        probe.Request(10).ExpectNextUnordered("h", "snap-only");
        probe.ExpectComplete();
    }

    // A current query completes once its last element is emitted, even when demand is exactly used up. 14 events are
    // two full buffers (max-buffer-size = 7), the case where the source learns it is done only by looking again.
    [Fact]
    public void Current_queries_complete_when_demand_is_exactly_the_stored_count()
    {
        var writers = new[] { Writer("x0"), Writer("x1") };
        for (var i = 0; i < 14; i++) Persist(writers[i % 2], $"blue {i}");

        var byTag = Run(_queries.CurrentEventsByTag("blue", Offset.NoOffset()));
        byTag.Request(14);
        byTag.ExpectNextN(14);
        byTag.ExpectComplete();

        var all = Run(_queries.CurrentAllEvents(Offset.NoOffset()));
        all.Request(14);
        all.ExpectNextN(14);
        all.ExpectComplete();

        var byId = Run(_queries.CurrentEventsByPersistenceId("x0", 0, long.MaxValue));
        byId.Request(7);
        byId.ExpectNextN(7);
        byId.ExpectComplete();

        var ids = Run(_queries.CurrentPersistenceIds());
        ids.Request(2);
        ids.ExpectNextUnordered("x0", "x1");
        ids.ExpectComplete();
    }

    // ---- CurrentAllEvents, with the demand patterns of the TCK's CurrentAllEventsSpec

    private void WriteHelloWorldTest()
    {
        var a = Writer("a");
        var b = Writer("b");
        Persist(a, "hello", "world");
        Persist(b, "test");
    }

    [Fact]
    public void CurrentAllEvents_finds_existing_events_on_demand()
    {
        WriteHelloWorldTest();
        var probe = Run(_queries.CurrentAllEvents(Offset.NoOffset()));
        probe.Request(2);
        ExpectEnvelope(probe, "a", 1, "hello");
        ExpectEnvelope(probe, "a", 2, "world");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        probe.Request(2);
        ExpectEnvelope(probe, "b", 1, "test");
        probe.ExpectComplete();
    }

    [Fact]
    public void CurrentAllEvents_does_not_see_events_written_after_it_started()
    {
        WriteHelloWorldTest();
        var probe = Run(_queries.CurrentAllEvents(Offset.NoOffset()));
        probe.Request(2);
        ExpectEnvelope(probe, "a", 1, "hello");
        ExpectEnvelope(probe, "a", 2, "world");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Persist(Writer("c"), "a green cucumber");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        probe.Request(5);
        ExpectEnvelope(probe, "b", 1, "test");
        probe.ExpectComplete(); // the cucumber is not seen
    }

    [Fact]
    public void CurrentAllEvents_offset_is_exclusive()
    {
        WriteHelloWorldTest();
        var probe1 = Run(_queries.CurrentAllEvents(Offset.NoOffset()));
        probe1.Request(2);
        ExpectEnvelope(probe1, "a", 1, "hello");
        var offset = ExpectEnvelope(probe1, "a", 2, "world").Offset;
        probe1.Cancel();
        var probe2 = Run(_queries.CurrentAllEvents(offset));
        probe2.Request(10);
        ExpectEnvelope(probe2, "b", 1, "test");
        probe2.ExpectComplete();
    }

    [Fact]
    public void CurrentAllEvents_sees_all_150_events_requesting_exactly_150()
    {
        var a = Writer("a");
        for (var i = 0; i < 150; i++) Persist(a, "a green apple");
        var probe = Run(_queries.CurrentAllEvents(Offset.NoOffset()));
        probe.Request(150);
        for (var i = 1; i <= 150; i++) ExpectEnvelope(probe, "a", i, "a green apple");
        probe.ExpectComplete();
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    // The TCK's AllEventsSpec demand pattern: a live stream delivers no more than requested, also of new events.
    [Fact]
    public void AllEvents_live_finds_new_events_within_demand()
    {
        var a = Writer("a");
        var b = Writer("b");
        Persist(a, "hello");
        var probe = Run(_queries.AllEvents(Offset.NoOffset()));
        probe.Request(2);
        ExpectEnvelope(probe, "a", 1, "hello");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Persist(a, "world");
        Persist(b, "test");
        ExpectEnvelope(probe, "a", 2, "world");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        probe.Request(10);
        ExpectEnvelope(probe, "b", 1, "test");
        probe.Cancel();
    }
}
