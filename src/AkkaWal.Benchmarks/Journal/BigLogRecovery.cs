using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Akka.Persistence;
using AkkaWal.Storage;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>Recovery of one actor among many in a large AkkaWal log.</summary>
/// <param name="BuildSeconds">Time to write the log through the journal actor (AtomicWrites of one actor's events).</param>
/// <param name="StartMillis">Restart: ActorSystem start, open of the log (recovery scan) and index rebuild, plus one
/// recovery of an unused id.</param>
/// <param name="RecoveryMillis">Each measured single-actor recovery, in the order run (each a different actor).</param>
/// <param name="LogBytes">Logical size of the log (the engine's durable end).</param>
/// <param name="EngineOpenMillis">The engine's open of the same log alone (recovery scan, CRC of every record), after the
/// restarted system stopped.</param>
/// <param name="EngineReadAllMillis">Then reading every record of it once (<c>ReadFrom(0)</c>), as the journal's index
/// rebuild does: with the open, the engine's share of <paramref name="StartMillis"/>; the rest is the journal's
/// decoding and indexing of every record, and the ActorSystem start.</param>
public sealed record BigLogResult(int Actors, long Events, long LogBytes, double BuildSeconds, double StartMillis, double EngineOpenMillis,
    double EngineReadAllMillis, IReadOnlyList<double> RecoveryMillis)
{
    public Spread Recovery => Spread.Of(RecoveryMillis);
}

/// <summary>
/// Builds a log of actors x events with AkkaWal by sending WriteMessages straight to the journal actor (the path
/// persistent actors use, without spawning 10,000 of them), restarts the ActorSystem on it, and times the recovery of
/// single actors spread over the log.
/// </summary>
public static class BigLogRecovery
{
    private const int ActorsPerMessage = 10;
    private const int MessagesInFlight = 16;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<BigLogResult> RunAsync(JournalBenchmarkPlan plan, string directory, CancellationToken ct)
    {
        var config = JournalUnderTest.Configure(JournalKind.AkkaWal, directory);
        double buildSeconds;
        await using (var session = await JournalSession.StartAsync(config, ct))
        {
            var clock = Stopwatch.StartNew();
            await WriteAsync(session.System, plan.BigLogActors, plan.BigLogEventsPerActor, ct);
            buildSeconds = clock.Elapsed.TotalSeconds;
        }

        var start = Stopwatch.StartNew();
        var recoveries = new List<double>();
        double startMillis;
        await using (var restarted = await JournalSession.StartAsync(config, ct))
        {
            startMillis = start.Elapsed.TotalMilliseconds;
            for (var i = 0; i < plan.BigLogRecoveries; i++)
            {
                // Actors spread over the log (between first and last), each recovered once: nothing of it cached by the journal.
                var actor = (int)((long)(plan.BigLogActors - 1) * (i + 1) / (plan.BigLogRecoveries + 1));
                var clock = Stopwatch.StartNew();
                var refs = await restarted.RecoverAsync([Id(actor)], plan.BigLogEventsPerActor);
                recoveries.Add(clock.Elapsed.TotalMilliseconds);
                await JournalSession.StopAsync(refs);
            }
        }

        var open = Stopwatch.StartNew();
        using var wal = WriteAheadLog.Open(new WalOptions { Directory = Path.Combine(directory, "wal") });
        var openMillis = open.Elapsed.TotalMilliseconds;
        var read = Stopwatch.StartNew();
        long records = 0;
        foreach (var _ in wal.ReadFrom()) records++;
        var readMillis = read.Elapsed.TotalMilliseconds;
        if (records != plan.BigLogEvents)
            throw new InvalidOperationException($"the big log holds {records} records, expected {plan.BigLogEvents}");
        return new BigLogResult(plan.BigLogActors, plan.BigLogEvents, wal.DurableEnd, buildSeconds, startMillis, openMillis, readMillis, recoveries);
    }

    private static string Id(int actor) => $"big-{actor}";

    /// <summary>Writes actors x eventsPerActor events (ids prefix-0, prefix-1, ...) straight to the journal actor.</summary>
    internal static async Task WriteAsync(ActorSystem system, int actors, int eventsPerActor, CancellationToken ct, string prefix = "big")
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
        var writer = Guid.NewGuid().ToString("N");
        for (var first = 0; first < actors; first += ActorsPerMessage * MessagesInFlight)
        {
            ct.ThrowIfCancellationRequested();
            var messages = new List<List<IPersistentEnvelope>>();
            for (var m = first; m < Math.Min(actors, first + ActorsPerMessage * MessagesInFlight); m += ActorsPerMessage)
            {
                var writes = Enumerable.Range(m, Math.Min(ActorsPerMessage, actors - m))
                    .Select(a => (IPersistentEnvelope)new AtomicWrite(Events($"{prefix}-{a}", eventsPerActor, writer)))
                    .ToList();
                messages.Add(writes);
            }
            var acks = new Countdown(messages.Count);
            var collector = system.ActorOf(Props.Create(() => new WriteAcks(acks)));
            foreach (var message in messages)
                journal.Tell(new WriteMessages(message, collector, 1));
            await acks.WaitAsync(Timeout, $"writing actors {first}.. of the big log", ct);
            system.Stop(collector);
        }
    }

    private static ImmutableList<IPersistentRepresentation> Events(string persistenceId, int count, string writer) =>
        Enumerable.Range(1, count)
            .Select(n => (IPersistentRepresentation)new Persistent(new BenchEvent(n), n, persistenceId, "", false, ActorRefs.NoSender, writer))
            .ToImmutableList();

    /// <summary>Receives the journal's replies to WriteMessages: one WriteMessagesSuccessful per message, or a failure.</summary>
    private sealed class WriteAcks : UntypedActor
    {
        private readonly Countdown _acks;

        public WriteAcks(Countdown acks) => _acks = acks;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case WriteMessagesSuccessful:
                    _acks.Signal();
                    break;
                case WriteMessagesFailed failed:
                    _acks.Fail(new InvalidOperationException("the journal failed a write of the big log", failed.Cause));
                    break;
                case WriteMessageRejected rejected:
                    _acks.Fail(new InvalidOperationException("the journal rejected an event of the big log", rejected.Cause));
                    break;
                case WriteMessageFailure failure:
                    _acks.Fail(new InvalidOperationException("the journal failed an event of the big log", failure.Cause));
                    break;
            }
        }
    }
}
