using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Akka.Persistence;

namespace AkkaWal.Benchmarks.Persistence;

/// <summary>Sizes of one run.</summary>
public sealed record PersistenceBenchPlan(string Name, int SingleActorEvents, int EventsPerActor, int[] ActorCounts,
    int RecoveryActors, int RecoveryEvents, int BigLogActors, int BigLogEventsPerActor, int SqlDivisor)
{
    public static PersistenceBenchPlan Full { get; } = new("full", 2000, 100, [10, 100, 200], 100, 100, 10_000, 100, 10);
    public static PersistenceBenchPlan Quick { get; } = new("quick", 500, 20, [10, 100, 200], 100, 100, 1000, 100, 10);
}

/// <summary>One measured figure.</summary>
public sealed record PersistenceBenchRow(string Workload, string Journal, long Events, double Seconds)
{
    public double EventsPerSecond => Seconds > 0 ? Events / Seconds : 0;
}

/// <summary>
/// Akka's journal performance workloads (JournalPerfSpec) run side by side on AkkaWal, Akka.Persistence.Sql on SQLite
/// and the in-memory journal, plus a raw write+fdatasync loop and recovery of one actor among many in a big log.
/// SQLite gets fewer events (plan.SqlDivisor) so a run stays short; its rate is still events per second.
/// </summary>
public sealed class PersistenceBenchmark(PersistenceBenchPlan plan, string root, IProgress<string>? progress = null)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public async Task<List<PersistenceBenchRow>> RunAsync(CancellationToken ct = default)
    {
        var rows = new List<PersistenceBenchRow>();
        progress?.Report("raw write+fdatasync loop");
        var raw = await RawSyncLoop.RunAsync(Path.Combine(root, "raw.dat"), 100, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), ct: ct);
        rows.Add(new PersistenceBenchRow("raw write+fdatasync, 1 writer", "raw loop", raw.Operations, raw.Seconds));

        foreach (var journal in BenchJournals.All)
        {
            ct.ThrowIfCancellationRequested();
            var dir = Path.Combine(root, new string(journal.Name.Where(char.IsLetterOrDigit).ToArray()));
            Directory.CreateDirectory(dir);
            var divisor = journal == BenchJournals.SqlSqlite ? plan.SqlDivisor : 1;
            using var system = ActorSystem.Create("bench", journal.ConfigFor(dir));
            await Warmup(system);
            foreach (var mode in Enum.GetValues<PersistMode>())
            {
                progress?.Report($"{journal.Name}: 1 actor {mode}");
                var n = Math.Max(BenchActor.BatchSize, plan.SingleActorEvents / divisor);
                rows.Add(new($"1 actor, {mode}", journal.Name, n, await Persist(system, $"single-{mode}", 1, n, mode)));
            }
            foreach (var actors in plan.ActorCounts)
            {
                progress?.Report($"{journal.Name}: {actors} actors Persist");
                var n = Math.Max(1, plan.EventsPerActor / divisor);
                rows.Add(new($"{actors} actors x {n} Persist", journal.Name, (long)actors * n,
                    await Persist(system, $"many{actors}", actors, n, PersistMode.Persist)));
            }
            progress?.Report($"{journal.Name}: recovery");
            var recoveryEvents = Math.Max(1, plan.RecoveryEvents / divisor);
            await Persist(system, "recover", plan.RecoveryActors, recoveryEvents, PersistMode.PersistAll);
            rows.Add(new($"recover {plan.RecoveryActors} actors x {recoveryEvents}", journal.Name,
                (long)plan.RecoveryActors * recoveryEvents, await Recover(system, "recover", plan.RecoveryActors, recoveryEvents)));
            await system.Terminate();
            if (journal == BenchJournals.AkkaWal)
            {
                // The same log after a restart: the index is rebuilt from one scan first.
                using var again = ActorSystem.Create("bench2", journal.ConfigFor(dir));
                rows.Add(new($"recover {plan.RecoveryActors} actors x {recoveryEvents} after restart (incl. index rebuild)", journal.Name,
                    (long)plan.RecoveryActors * recoveryEvents, await Recover(again, "recover", plan.RecoveryActors, recoveryEvents)));
                await again.Terminate();
            }
        }

        progress?.Report("AkkaWal: one among many in a big log");
        rows.AddRange(await OneAmongMany(Path.Combine(root, "big")));
        return rows;
    }

    private static async Task Warmup(ActorSystem system)
    {
        var actor = system.ActorOf(BenchActor.Props("warmup", system.DeadLetters));
        await actor.Ask<BenchActor.Done>(new BenchActor.Run(PersistMode.Persist, 1, 20), Timeout);
        await actor.GracefulStop(Timeout);
    }

    /// <summary>Seconds for `actors` new actors to persist `events` each, all started together.</summary>
    private static async Task<double> Persist(ActorSystem system, string prefix, int actors, int events, PersistMode mode)
    {
        var recovered = new List<Task>();
        var refs = new IActorRef[actors];
        var ready = new CountdownReporter(system, actors);
        for (var i = 0; i < actors; i++) refs[i] = system.ActorOf(BenchActor.Props($"{prefix}-{i}", ready.Ref));
        await ready.Task.WaitAsync(Timeout); // recovery is not part of the write figure
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(refs.Select(a => a.Ask<BenchActor.Done>(new BenchActor.Run(mode, 1, events), Timeout)));
        var seconds = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(refs.Select(a => a.GracefulStop(Timeout)));
        return seconds;
    }

    /// <summary>Seconds until `actors` new incarnations have all recovered their events.</summary>
    private static async Task<double> Recover(ActorSystem system, string prefix, int actors, int events)
    {
        var done = new CountdownReporter(system, actors, expectedSequenceNr: events);
        var clock = Stopwatch.StartNew();
        var refs = Enumerable.Range(0, actors).Select(i => system.ActorOf(BenchActor.Props($"{prefix}-{i}", done.Ref))).ToList();
        await done.Task.WaitAsync(Timeout);
        var seconds = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(refs.Select(a => a.GracefulStop(Timeout)));
        return seconds;
    }

    /// <summary>Writes actors x events straight to the journal, restarts, and recovers one actor.</summary>
    private async Task<List<PersistenceBenchRow>> OneAmongMany(string dir)
    {
        var journal = BenchJournals.AkkaWal;
        var total = (long)plan.BigLogActors * plan.BigLogEventsPerActor;
        using (var system = ActorSystem.Create("big", journal.ConfigFor(dir)))
        {
            var writer = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
            var probe = system.ActorOf(Props.Create(() => new WriteCounter()));
            const int actorsPerMessage = 50;
            var pending = new List<Task>();
            for (var first = 0; first < plan.BigLogActors; first += actorsPerMessage)
            {
                var writes = Enumerable.Range(first, Math.Min(actorsPerMessage, plan.BigLogActors - first))
                    .Select(a => new AtomicWrite(Enumerable.Range(1, plan.BigLogEventsPerActor)
                        .Select(s => (IPersistentRepresentation)new Persistent(s, s, $"big-{a}", "", false, ActorRefs.NoSender, "bench"))
                        .ToImmutableList()))
                    .ToArray();
                pending.Add(probe.Ask<WriteCounter.Written>(new WriteCounter.Send(writer, writes), Timeout));
                if (pending.Count >= 8) { await Task.WhenAll(pending); pending.Clear(); }
            }
            await Task.WhenAll(pending);
            await system.Terminate();
        }
        var rows = new List<PersistenceBenchRow>();
        using (var system = ActorSystem.Create("big2", journal.ConfigFor(dir)))
        {
            var first = await Recover(system, "big", 1, plan.BigLogEventsPerActor); // opens the log: includes the index rebuild
            rows.Add(new($"open a log of {total:N0} events (index rebuild) + recover 1 actor", "AkkaWal", total, first));
            var one = new CountdownReporter(system, 1, plan.BigLogEventsPerActor);
            var clock = Stopwatch.StartNew();
            system.ActorOf(BenchActor.Props($"big-{plan.BigLogActors / 2}", one.Ref));
            await one.Task.WaitAsync(Timeout);
            rows.Add(new($"recover 1 actor ({plan.BigLogEventsPerActor} events) among {plan.BigLogActors:N0} in a log of {total:N0}",
                "AkkaWal", plan.BigLogEventsPerActor, clock.Elapsed.TotalSeconds));
            await system.Terminate();
        }
        return rows;
    }

    /// <summary>Sends WriteMessages to the journal and answers when every AtomicWrite was acknowledged.</summary>
    private sealed class WriteCounter : ReceiveActor
    {
        public sealed record Send(IActorRef Journal, AtomicWrite[] Writes);
        public sealed record Written;

        private readonly Dictionary<int, (IActorRef ReplyTo, int Remaining)> _pending = new();
        private int _next;

        public WriteCounter()
        {
            Receive<Send>(s =>
            {
                var id = ++_next;
                _pending[id] = (Sender, s.Writes.Sum(w => ((IImmutableList<IPersistentRepresentation>)w.Payload).Count));
                s.Journal.Tell(new WriteMessages(s.Writes, Self, id));
            });
            Receive<WriteMessageSuccess>(m => Count(m.ActorInstanceId));
            Receive<WriteMessagesSuccessful>(_ => { });
            Receive<WriteMessageRejected>(m => throw m.Cause);
            Receive<WriteMessageFailure>(m => throw m.Cause);
            Receive<WriteMessagesFailed>(m => throw m.Cause);
        }

        private void Count(int id)
        {
            var (replyTo, remaining) = _pending[id];
            if (--remaining == 0) { _pending.Remove(id); replyTo.Tell(new Written()); }
            else _pending[id] = (replyTo, remaining);
        }
    }

    /// <summary>Completes when `count` BenchActor.Done (with the expected last sequence number, if given) arrived.</summary>
    private sealed class CountdownReporter
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CountdownReporter(ActorSystem system, int count, long? expectedSequenceNr = null)
        {
            Ref = system.ActorOf(Props.Create(() => new Counter(count, expectedSequenceNr, _done)));
        }

        public IActorRef Ref { get; }
        public Task Task => _done.Task;

        private sealed class Counter : ReceiveActor
        {
            public Counter(int count, long? expected, TaskCompletionSource done)
            {
                var remaining = count;
                Receive<BenchActor.Done>(d =>
                {
                    if (expected is { } e && d.LastSequenceNr != e)
                        done.TrySetException(new InvalidOperationException($"{d.PersistenceId} recovered to {d.LastSequenceNr}, expected {e}"));
                    if (--remaining == 0) done.TrySetResult();
                });
            }
        }
    }
}
