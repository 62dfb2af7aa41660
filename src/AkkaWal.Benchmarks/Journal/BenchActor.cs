using Akka.Actor;
using Akka.Persistence;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>How the actor persists each command, as in Akka's JournalPerfSpec.</summary>
public enum PersistMode { Persist, PersistAll, PersistAsync, PersistAllAsync }

/// <summary>Persist an event carrying the actor's next count (the actor numbers the events itself).</summary>
public sealed record PersistCommand(PersistMode Mode);

/// <summary>
/// The persistent actor of Akka's JournalPerfSpec: persists one event per command in the given mode (PersistAll modes
/// in batches of 50), checks that handlers and replays see 1, 2, 3, ... in order, and signals <c>done</c> when its
/// count reaches <c>doneAt</c>. On RecoveryCompleted it signals <c>recovered</c>, after checking it replayed exactly
/// <c>expectRecovered</c> events (-1: any number).
/// </summary>
public sealed class BenchActor : UntypedPersistentActor
{
    public const int BatchSize = 50;

    private readonly Countdown? _recovered;
    private readonly Countdown? _done;
    private readonly int _expectRecovered;
    private readonly int _doneAt;
    private List<BenchEvent> _batch = new(BatchSize);
    private int _issued;
    private int _counter;

    public BenchActor(string persistenceId, Countdown? recovered, int expectRecovered, Countdown? done, int doneAt)
    {
        PersistenceId = persistenceId;
        _recovered = recovered;
        _expectRecovered = expectRecovered;
        _done = done;
        _doneAt = doneAt;
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, Countdown? recovered, int expectRecovered, Countdown? done, int doneAt) =>
        Akka.Actor.Props.Create(() => new BenchActor(persistenceId, recovered, expectRecovered, done, doneAt));

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case BenchEvent e:
                Count(e);
                break;
            case RecoveryCompleted:
                _issued = _counter;
                if (_expectRecovered >= 0 && _counter != _expectRecovered)
                    _recovered?.Fail(new InvalidOperationException($"{PersistenceId} replayed {_counter} events, expected {_expectRecovered}"));
                else _recovered?.Signal();
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        if (message is not PersistCommand command) return;
        var e = new BenchEvent(++_issued);
        switch (command.Mode)
        {
            case PersistMode.Persist:
                Persist(e, Count);
                break;
            case PersistMode.PersistAsync:
                PersistAsync(e, Count);
                break;
            case PersistMode.PersistAll or PersistMode.PersistAllAsync:
                _batch.Add(e);
                if (_batch.Count < BatchSize && _issued != _doneAt) break;
                if (command.Mode == PersistMode.PersistAll) PersistAll(_batch, Count);
                else PersistAllAsync(_batch, Count);
                _batch = new List<BenchEvent>(BatchSize);
                break;
        }
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _done?.Fail(new InvalidOperationException($"{PersistenceId}: persist of event {sequenceNr} failed", cause));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _done?.Fail(new InvalidOperationException($"{PersistenceId}: event {sequenceNr} rejected", cause));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _recovered?.Fail(new InvalidOperationException($"{PersistenceId}: recovery failed", reason));
        base.OnRecoveryFailure(reason, message);
    }

    private void Count(BenchEvent e)
    {
        if (e.Value != ++_counter)
        {
            var error = new InvalidOperationException($"{PersistenceId}: expected event {_counter}, got {e.Value}");
            _done?.Fail(error);
            _recovered?.Fail(error);
            return;
        }
        if (_counter == _doneAt) _done?.Signal();
    }
}
