using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaWal.Persistence.Query;

namespace AkkaWal.Hosting.TestKit.Tests;

public sealed class ReadJournalSpec : WalHostSpec
{
    private WalReadJournal ReadJournal => PersistenceQuery.Get(Sys).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);

    private async Task<IReadOnlyList<EventEnvelope>> CurrentEvents(string persistenceId, long from = 0, long to = long.MaxValue) =>
        await ReadJournal.CurrentEventsByPersistenceId(persistenceId, from, to)
            .RunWith(Sink.Seq<EventEnvelope>(), Sys.Materializer());

    private async Task WriteAll(string persistenceId, params string[] texts)
    {
        var notebook = Sys.ActorOf(Notebook.Props(persistenceId));
        foreach (var text in texts) await notebook.Ask<string[]>(new Notebook.Write(text), WalHost.Patience, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task CurrentEventsByPersistenceId_returns_the_persisted_events_in_order_with_their_sequence_numbers()
    {
        await WriteAll("nb-query", "a", "b", "c");
        await WriteAll("nb-other", "x");

        var events = await CurrentEvents("nb-query");

        Assert.Equal(["a", "b", "c"], events.Select(e => (string)e.Event));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.SequenceNr));
        Assert.All(events, e => Assert.Equal("nb-query", e.PersistenceId));
    }

    [Fact]
    public async Task CurrentEventsByPersistenceId_honours_the_sequence_number_range()
    {
        await WriteAll("nb-range", "a", "b", "c", "d");

        var events = await CurrentEvents("nb-range", from: 2, to: 3);

        Assert.Equal(["b", "c"], events.Select(e => (string)e.Event));
    }

    [Fact]
    public async Task CurrentEventsByPersistenceId_completes_empty_for_an_unknown_persistence_id()
    {
        await WriteAll("nb-known", "a");

        Assert.Empty(await CurrentEvents("nb-unknown"));
    }
}
