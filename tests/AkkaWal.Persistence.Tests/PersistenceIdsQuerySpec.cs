using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.TestKit;
using AkkaWal.Persistence.Query;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>The cases of Akka's PersistenceIdsSpec and CurrentPersistenceIdsSpec (TCK) on AkkaWal's read journal.</summary>
public sealed class PersistenceIdsQuerySpec : WalSpec
{
    private readonly ActorMaterializer _materializer;
    private readonly WalReadJournal _queries;

    public PersistenceIdsQuerySpec(ITestOutputHelper output)
        : base(output, "akka.persistence.query.journal.wal { refresh-interval = 10m, max-buffer-size = 2 }")
    {
        _materializer = Sys.Materializer();
        _queries = PersistenceQuery.Get(Sys).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);
    }

    private void Setup(string pid, int events)
    {
        var actor = Sys.ActorOf(PersistingActor.Props(pid));
        for (var i = 1; i <= events; i++)
        {
            actor.Tell($"{pid}-{i}");
            ExpectMsg($"{pid}-{i}-done");
        }
    }

    private TestSubscriber.Probe<string> Run(Akka.Streams.Dsl.Source<string, Akka.NotUsed> source) => source.RunWith(this.SinkProbe<string>(), _materializer);

    [Fact]
    public void Current_finds_existing_ids_once_each()
    {
        Setup("a", 1);
        Setup("b", 1);
        Setup("c", 1);
        Setup("d", 100);
        Run(_queries.CurrentPersistenceIds()).Request(10).ExpectNextUnordered("a", "b", "c", "d").ExpectComplete();
    }

    [Fact]
    public void Current_does_not_see_ids_added_after_it_started()
    {
        Setup("a", 1);
        Setup("b", 1);
        Setup("c", 1);
        var probe = Run(_queries.CurrentPersistenceIds());
        probe.Request(2).ExpectNext("a", "b").ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Setup("d", 1);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        probe.Request(5).ExpectNext("c").ExpectComplete();
    }

    [Fact]
    public void Live_finds_new_ids_after_a_demand_request()
    {
        Setup("h", 1);
        Setup("i", 1);
        var probe = Run(_queries.PersistenceIds());
        probe.Request(1).ExpectNext("h");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Setup("j", 1);
        probe.Request(5).ExpectNext("i", "j");
        probe.Cancel();
    }

    [Fact]
    public void Live_only_delivers_what_was_requested_when_more_is_buffered()
    {
        foreach (var id in new[] { "k", "l", "m", "n", "o" }) Setup(id, 1);
        var probe = Run(_queries.PersistenceIds());
        probe.Request(2).ExpectNext("k", "l").ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        probe.Request(2).ExpectNext("m", "n").ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        probe.Cancel();
    }

    [Fact]
    public void Live_delivers_an_id_only_once_however_many_events_it_has()
    {
        Setup("p", 200);
        var probe = Run(_queries.PersistenceIds());
        probe.Request(10).ExpectNext("p").ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Setup("q", 200);
        probe.ExpectNext("q").ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        probe.Cancel();
    }
}
