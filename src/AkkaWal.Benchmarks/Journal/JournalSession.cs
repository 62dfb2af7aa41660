using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>
/// One ActorSystem whose default journal is the journal under test, and the JournalPerfSpec workloads run on it.
/// Every workload uses fresh persistence ids; its clock starts after its actors have recovered (so actor start-up is
/// not timed) and stops when the last event's persist handler has run, i.e. the journal acknowledged it.
/// </summary>
public sealed class JournalSession : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly ActorSystem _system;
    private readonly CancellationToken _ct;
    private int _ids;

    private JournalSession(ActorSystem system, CancellationToken ct)
    {
        _system = system;
        _ct = ct;
    }

    public ActorSystem System => _system;

    /// <summary>Starts the system and the journal (journals start lazily: one recovery of an unused id opens it).</summary>
    public static async Task<JournalSession> StartAsync(Config config, CancellationToken ct)
    {
        var session = new JournalSession(ActorSystem.Create("bench-journal", config), ct);
        try
        {
            await session.RecoverAsync(["warm-up-nobody"], expectEvents: 0);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
        return session;
    }

    /// <summary>One actor persists <paramref name="events"/> events in <paramref name="mode"/>; returns the elapsed time.</summary>
    public Task<TimeSpan> SequentialAsync(PersistMode mode, int events) => ConcurrentAsync(1, events, mode);

    /// <summary><paramref name="actors"/> actors each persist <paramref name="eventsPerActor"/> events concurrently.</summary>
    public async Task<TimeSpan> ConcurrentAsync(int actors, int eventsPerActor, PersistMode mode = PersistMode.Persist)
    {
        var (refs, done, _) = await SpawnAsync(actors, eventsPerActor);
        var command = new PersistCommand(mode);
        var clock = Stopwatch.StartNew();
        foreach (var actor in refs)
            for (var i = 0; i < eventsPerActor; i++) actor.Tell(command);
        await done.WaitAsync(Timeout, $"{actors} actor(s) x {eventsPerActor} {mode}", _ct);
        var elapsed = clock.Elapsed;
        await StopAsync(refs);
        return elapsed;
    }

    /// <summary>Writes <paramref name="actors"/> x <paramref name="eventsPerActor"/> events (untimed, PersistAll),
    /// stops the actors, then times fresh incarnations recovering all of them.</summary>
    public async Task<TimeSpan> RecoveryAsync(int actors, int eventsPerActor)
    {
        var (refs, done, ids) = await SpawnAsync(actors, eventsPerActor);
        var command = new PersistCommand(PersistMode.PersistAll);
        foreach (var actor in refs)
            for (var i = 0; i < eventsPerActor; i++) actor.Tell(command);
        await done.WaitAsync(Timeout, $"writing {actors} x {eventsPerActor} events to recover", _ct);
        await StopAsync(refs);

        var clock = Stopwatch.StartNew();
        var recovered = await RecoverAsync(ids, eventsPerActor);
        var elapsed = clock.Elapsed;
        await StopAsync(recovered);
        return elapsed;
    }

    /// <summary>Starts one actor per id and waits until each recovered exactly <paramref name="expectEvents"/> events.</summary>
    public async Task<IActorRef[]> RecoverAsync(IReadOnlyList<string> ids, int expectEvents)
    {
        var recovered = new Countdown(ids.Count);
        var refs = ids.Select(id => _system.ActorOf(BenchActor.Props(id, recovered, expectEvents, null, 0))).ToArray();
        await recovered.WaitAsync(Timeout, $"recovery of {ids.Count} actor(s)", _ct);
        return refs;
    }

    private async Task<(IActorRef[] Refs, Countdown Done, string[] Ids)> SpawnAsync(int actors, int doneAt)
    {
        var run = Interlocked.Increment(ref _ids);
        var ids = Enumerable.Range(0, actors).Select(a => $"r{run}-a{a}").ToArray();
        var recovered = new Countdown(actors);
        var done = new Countdown(actors);
        var refs = ids.Select(id => _system.ActorOf(BenchActor.Props(id, recovered, 0, done, doneAt))).ToArray();
        await recovered.WaitAsync(Timeout, $"start of {actors} fresh actor(s)", _ct);
        return (refs, done, ids);
    }

    public static async Task StopAsync(IEnumerable<IActorRef> refs)
    {
        var stops = refs.Select(r => r.GracefulStop(Timeout)).ToArray();
        await Task.WhenAll(stops);
    }

    public async ValueTask DisposeAsync() => await _system.Terminate();
}
