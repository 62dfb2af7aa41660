using Akka.Actor;
using Akka.Persistence.Hosting;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaWal.Persistence.Query;

namespace AkkaWal.Hosting.TestKit.Tests;

public sealed class EventAdapterSpec : WalHostSpec
{
    /// <summary>Tags every string on its way to the journal, so the tag query can only find them if it ran.</summary>
    public sealed class NoteTagger : IWriteEventAdapter
    {
        public string Manifest(object evt) => "";
        public object ToJournal(object evt) => new Tagged(evt, ["note"]);
    }

    /// <summary>Upper-cases every string replayed to a persistent actor; the stored event stays as written.</summary>
    public sealed class Shouter : IReadEventAdapter
    {
        public IEventSequence FromJournal(object evt, string manifest) => EventSequence.Single(((string)evt).ToUpperInvariant());
    }

    private static void Adapters(AkkaPersistenceJournalBuilder journal) => journal
        .AddWriteEventAdapter<NoteTagger>("note-tagger", [typeof(string)])
        .AddReadEventAdapter<Shouter>("shouter", [typeof(string)]);

    protected override void ConfigureJournal(AkkaPersistenceJournalBuilder journal) => Adapters(journal);

    [Fact]
    public async Task A_write_adapter_from_the_journal_builder_tags_the_events_the_read_journal_finds_by_tag()
    {
        var notebook = Sys.ActorOf(Notebook.Props("nb-tagged"));
        await notebook.Ask<string[]>(new Notebook.Write("a"), WalHost.Patience, TestContext.Current.CancellationToken);
        await notebook.Ask<string[]>(new Notebook.Write("b"), WalHost.Patience, TestContext.Current.CancellationToken);

        var readJournal = PersistenceQuery.Get(Sys).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier);
        var tagged = await readJournal.CurrentEventsByTag("note", Offset.NoOffset()).RunWith(Sink.Seq<EventEnvelope>(), Sys.Materializer());

        Assert.Equal(["a", "b"], tagged.Select(e => (string)e.Event));
        Assert.All(tagged, e => Assert.Equal("nb-tagged", e.PersistenceId));
    }

    [Fact]
    public async Task A_read_adapter_from_the_journal_builder_is_applied_when_a_fresh_host_replays()
    {
        var notebook = Sys.ActorOf(Notebook.Props("nb-shouted"));
        await notebook.Ask<string[]>(new Notebook.Write("quiet"), WalHost.Patience, TestContext.Current.CancellationToken);
        Assert.Equal(["quiet", "words"], await notebook.Ask<string[]>(new Notebook.Write("words"), WalHost.Patience, TestContext.Current.CancellationToken));

        await StopHostAsync();

        await using var reopened = await ReopenedHost.StartAsync(Data.Path, Adapters);
        var recovered = reopened.Sys.ActorOf(Notebook.Props("nb-shouted"));
        Assert.Equal(["QUIET", "WORDS"], await recovered.Ask<string[]>(new Notebook.Read(), WalHost.Patience, TestContext.Current.CancellationToken));
    }
}
