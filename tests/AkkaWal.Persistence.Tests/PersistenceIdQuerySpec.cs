using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using AkkaWal.Persistence.Query;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>
/// The cases of Akka's CurrentEventsByPersistenceIdSpec, EventsByPersistenceIdSpec and (Current)AllEventsSpec (TCK)
/// on AkkaWal's read journal. Polling is off (10 minutes), so live streams rely on the journal waking them.
/// </summary>
public sealed class PersistenceIdQuerySpec : WalSpec
{
    private readonly ActorMaterializer _materializer;
    private readonly WalReadJournal _queries;

    public PersistenceIdQuerySpec(ITestOutputHelper output)
        : base(output, "akka.persistence.query.journal.wal { refresh-interval = 10m, max-buffer-size = 3 }")
    {
        _materializer = Sys.Materializer();
        _queries = PersistenceQuery.Get(Sys).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);
    }

    private IActorRef Setup(string pid, int events = 3)
    {
        var actor = Sys.ActorOf(PersistingActor.Props(pid));
        for (var i = 1; i <= events; i++) actor.Tell($"{pid}-{i}");
        for (var i = 1; i <= events; i++) ExpectMsg($"{pid}-{i}-done");
        return actor;
    }

    private void Delete(IActorRef actor, long to)
    {
        actor.Tell(new PersistingActor.DeleteTo(to));
        ExpectMsg($"{to}-deleted");
    }

    private TestSubscriber.Probe<object> Events(Source<EventEnvelope, Akka.NotUsed> source)
        => source.Select(e => e.Event).RunWith(this.SinkProbe<object>(), _materializer);

    [Fact]
    public void Current_finds_existing_events_on_demand()
    {
        Setup("a");
        var probe = Events(_queries.CurrentEventsByPersistenceId("a", 0, long.MaxValue));
        probe.Request(2).ExpectNext("a-1", "a-2").ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        probe.Request(2).ExpectNext("a-3").ExpectComplete();
    }

    [Fact]
    public void Current_finds_existing_events_up_to_a_sequence_number()
        {
        Setup("b");
        Events(_queries.CurrentEventsByPersistenceId("b", 0, 2)).Request(5).ExpectNext("b-1", "b-2").ExpectComplete();
    }

    [Fact]
    public void Current_does_not_see_events_after_it_started()
    {
        var f = Setup("f");
        var probe = Events(_queries.CurrentEventsByPersistenceId("f", 0, long.MaxValue));
        probe.Request(2).ExpectNext("f-1", "f-2").ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        f.Tell("f-4");
        ExpectMsg("f-4-done");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        probe.Request(5).ExpectNext("f-3").ExpectComplete();
    }

    [Fact]
    public void Current_returns_nothing_for_a_cleaned_journal_from_0_to_max_and_0_to_0()
    {
        Delete(Setup("g1"), 3);
        Events(_queries.CurrentEventsByPersistenceId("g1", 0, long.MaxValue)).Request(1).ExpectComplete();
        Events(_queries.CurrentEventsByPersistenceId("g1", 0, 0)).Request(1).ExpectComplete();
    }

    [Fact]
    public void Current_returns_the_remaining_events_after_a_partial_cleanup()
    {
        Delete(Setup("h"), 2);
        Events(_queries.CurrentEventsByPersistenceId("h", 0, long.MaxValue)).Request(1).ExpectNext("h-3").ExpectComplete();
    }

    [Fact]
    public void Current_returns_nothing_for_empty_ranges_and_ids()
    {
        Sys.ActorOf(PersistingActor.Props("i"));
        Setup("k1");
        Events(_queries.CurrentEventsByPersistenceId("i", 0, long.MaxValue)).Request(1).ExpectComplete();
        Events(_queries.CurrentEventsByPersistenceId("i", 0, 0)).Request(1).ExpectComplete();
        Events(_queries.CurrentEventsByPersistenceId("k1", 0, 0)).Request(1).ExpectComplete();
        Events(_queries.CurrentEventsByPersistenceId("k1", 4, 3)).Request(1).ExpectComplete();
    }

    [Fact]
    public void Live_finds_new_events()
    {
        var c = Setup("c");
        var probe = Events(_queries.EventsByPersistenceId("c", 0, long.MaxValue));
        probe.Request(5).ExpectNext("c-1", "c-2", "c-3");
        c.Tell("c-4");
        ExpectMsg("c-4-done");
        probe.ExpectNext("c-4");
        probe.Cancel();
    }

    [Fact]
    public void Live_finds_new_events_up_to_a_sequence_number_and_completes()
    {
        var d = Setup("d");
        var probe = Events(_queries.EventsByPersistenceId("d", 0, 4));
        probe.Request(5).ExpectNext("d-1", "d-2", "d-3");
        d.Tell("d-4");
        ExpectMsg("d-4-done");
        probe.ExpectNext("d-4").ExpectComplete();
    }

    [Fact]
    public void Live_finds_new_events_after_a_demand_request()
    {
        var e = Setup("e");
        var probe = Events(_queries.EventsByPersistenceId("e", 0, long.MaxValue));
        probe.Request(2).ExpectNext("e-1", "e-2").ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        e.Tell("e-4");
        ExpectMsg("e-4-done");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        probe.Request(5).ExpectNext("e-3").ExpectNext("e-4");
        probe.Cancel();
    }

    [Fact]
    public void CurrentAllEvents_completes_when_there_are_no_events()
        => _queries.CurrentAllEvents(Offset.NoOffset()).RunWith(this.SinkProbe<EventEnvelope>(), _materializer).Request(2).ExpectComplete();

    [Fact]
    public void CurrentAllEvents_does_not_see_events_after_it_started_and_sees_all_150()
    {
        var a = Setup("a", 150);
        var probe = Events(_queries.CurrentAllEvents(Offset.NoOffset()));
        probe.Request(2).ExpectNext("a-1", "a-2").ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        a.Tell("late");
        ExpectMsg("late-done");
        probe.Request(200);
        for (var i = 3; i <= 150; i++) probe.ExpectNext($"a-{i}");
        probe.ExpectComplete();
    }
}
