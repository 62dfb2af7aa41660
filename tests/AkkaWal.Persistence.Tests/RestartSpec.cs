using System.Collections.Concurrent;
using System.Text;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaWal.CrashHost;
using AkkaWal.Persistence.Query;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>What survives an actor system: the index is rebuilt from the log by the next one.</summary>
public sealed class RestartSpec(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private ActorSystem NewSystem(string name) => ActorSystem.Create(name, WalSpec.SystemConfig(_data.Path));

    private static async Task Persist(ActorSystem system, string pid, params string[] events)
    {
        var actor = system.ActorOf(PersistingActor.Props(pid));
        foreach (var e in events) Assert.Equal($"{e}-done", await actor.Ask<string>(e, TimeSpan.FromSeconds(10)));
        await actor.GracefulStop(TimeSpan.FromSeconds(10));
    }

    internal static async Task<(List<IPersistentRepresentation> Events, long Highest)> Replay(ActorSystem system, string pid)
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
        var events = new List<IPersistentRepresentation>();
        var done = new TaskCompletionSource<long>();
        var receiver = system.ActorOf(Props.Create(() => new ReplayCollector(events, done)));
        journal.Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, pid, receiver));
        var highest = await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return (events, highest);
    }

    private sealed class ReplayCollector : ReceiveActor
    {
        public ReplayCollector(List<IPersistentRepresentation> events, TaskCompletionSource<long> done)
        {
            Receive<ReplayedMessage>(m => events.Add(m.Persistent));
            Receive<RecoverySuccess>(m => done.TrySetResult(m.HighestSequenceNr));
            Receive<ReplayMessagesFailure>(m => done.TrySetException(m.Cause));
        }
    }

    [Fact]
    public async Task The_highest_sequence_number_survives_deleting_everything_and_a_restart()
    {
        using (var system = NewSystem("r1"))
        {
            var actor = system.ActorOf(PersistingActor.Props("gone"));
            foreach (var e in new[] { "g1", "g2", "g3" }) Assert.Equal($"{e}-done", await actor.Ask<string>(e, TimeSpan.FromSeconds(10)));
            Assert.Equal("3-deleted", await actor.Ask<string>(new PersistingActor.DeleteTo(long.MaxValue), TimeSpan.FromSeconds(10)));
            var (events, highest) = await Replay(system, "gone");
            Assert.Empty(events);
            Assert.Equal(3, highest);
            await system.Terminate();
        }
        using (var system = NewSystem("r2"))
        {
            var (events, highest) = await Replay(system, "gone");
            Assert.Empty(events);
            Assert.Equal(3, highest);
            await Persist(system, "gone", "g4");
            (events, highest) = await Replay(system, "gone");
            Assert.Equal(new object[] { "g4" }, events.Select(e => e.Payload));
            Assert.Equal(4, events[0].SequenceNr);
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Offsets_are_stable_across_restarts()
    {
        List<(long Offset, string Pid, long SeqNr)> before;
        using (var system = NewSystem("o1"))
        {
            await Persist(system, "x", "a green apple", "plain", "a green leaf");
            await Persist(system, "y", "a green banana", "a black car");
            before = await AllEvents(system, Offset.NoOffset());
            await system.Terminate();
        }
        using (var system = NewSystem("o2"))
        {
            Assert.Equal(before, await AllEvents(system, Offset.NoOffset()));
            await Persist(system, "z", "a green cucumber");
            var after = await AllEvents(system, Offset.Sequence(before[^1].Offset));
            Assert.Equal(new[] { ("z", 1L) }, after.Select(e => (e.Pid, e.SeqNr)));
            Assert.True(after[0].Offset > before[^1].Offset);
            var green = await PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier)
                .CurrentEventsByTag("green", Offset.Sequence(before[0].Offset)).RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());
            Assert.Equal(new[] { ("x", 3L), ("y", 1L), ("z", 1L) }, green.Select(e => (e.PersistenceId, e.SequenceNr)));
            await system.Terminate();
        }
    }

    private static async Task<List<(long Offset, string Pid, long SeqNr)>> AllEvents(ActorSystem system, Offset offset)
    {
        var envelopes = await PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier)
            .CurrentAllEvents(offset).RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());
        return envelopes.Select(e => (((Sequence)e.Offset).Value, e.PersistenceId, e.SequenceNr)).ToList();
    }

    [Fact]
    public async Task A_system_torn_down_mid_write_recovers_exactly_the_acknowledged_events()
    {
        const int actors = 5;
        var ledger = new PersistenceLedger();
        for (var round = 0; round < 3; round++)
        {
            ledger.NewRound();
            var lines = new LineCollector();
            var system = NewSystem("torn" + round);
            for (var i = 0; i < actors; i++) system.ActorOf(LedgerActor.Props($"actor-{i}", lines, round * 10 + i));
            // Let them write until a few hundred events are acknowledged, then pull the plug without stopping them.
            await lines.WaitFor(l => l.Count(x => x.StartsWith("ACK ")) >= 300, TimeSpan.FromMinutes(1));
            _ = system.Terminate();
            await system.WhenTerminated.WaitAsync(TimeSpan.FromMinutes(1));
            foreach (var line in lines.Snapshot()) ledger.Apply(line);
        }
        // A last system only recovers, and is checked.
        ledger.NewRound();
        var final = new LineCollector();
        var check = NewSystem("torn-final");
        for (var i = 0; i < actors; i++) check.ActorOf(LedgerActor.Props($"actor-{i}", final, 99));
        await final.WaitFor(l => l.Count(x => x.StartsWith("RECDONE ")) == actors, TimeSpan.FromMinutes(1));
        await check.Terminate();
        foreach (var line in final.Snapshot()) ledger.Apply(line);
        output.WriteLine($"recoveries checked {ledger.Recoveries}, acknowledged {ledger.TotalAcks}");
        Assert.Equal(actors * 4, ledger.Recoveries);
    }

    /// <summary>Collects the LedgerActor's lines (thread-safe).</summary>
    private sealed class LineCollector : TextWriter
    {
        private readonly ConcurrentQueue<string> _lines = new();
        public override Encoding Encoding => Encoding.UTF8;
        public override void WriteLine(string? value) => _lines.Enqueue(value ?? "");
        public List<string> Snapshot() => _lines.ToList();

        public async Task WaitFor(Func<List<string>, bool> condition, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!condition(Snapshot()))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached; lines: " + _lines.Count);
                await Task.Delay(20);
            }
        }
    }
}
