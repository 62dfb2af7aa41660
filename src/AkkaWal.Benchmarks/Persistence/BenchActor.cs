using Akka.Actor;
using Akka.Persistence;

namespace AkkaWal.Benchmarks.Persistence;

public enum PersistMode { Persist, PersistAll, PersistAsync, PersistAllAsync }

/// <summary>Persists what it is told (as Akka's JournalPerfSpec does) and reports when the last handler ran or recovery finished.</summary>
public sealed class BenchActor : UntypedPersistentActor
{
    /// <summary>Persist events from..to in the given mode (PersistAll modes: batches of <see cref="BatchSize"/>).</summary>
    public sealed record Run(PersistMode Mode, int From, int To);

    public sealed record Done(string PersistenceId, long LastSequenceNr);

    public const int BatchSize = 10;

    private readonly IActorRef _report;
    private IActorRef? _replyTo;
    private long _target;

    public BenchActor(string persistenceId, IActorRef report)
    {
        PersistenceId = persistenceId;
        _report = report;
    }

    public static Props Props(string persistenceId, IActorRef report) => Akka.Actor.Props.Create(() => new BenchActor(persistenceId, report));

    public override string PersistenceId { get; }

    protected override void OnRecover(object message)
    {
        if (message is RecoveryCompleted) _report.Tell(new Done(PersistenceId, LastSequenceNr));
    }

    private sealed record One(PersistMode Mode, int Value);

    private sealed record Batch(PersistMode Mode, int[] Values);

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case Run run:
                // One command per Persist/PersistAsync call (per batch for the PersistAll modes), as JournalPerfSpec sends them.
                _replyTo = Sender;
                _target = run.To;
                var all = run.Mode is PersistMode.PersistAll or PersistMode.PersistAllAsync;
                for (var i = run.From; i <= run.To; i += all ? BatchSize : 1)
                    Self.Tell(all ? new Batch(run.Mode, Enumerable.Range(i, Math.Min(BatchSize, run.To - i + 1)).ToArray()) : new One(run.Mode, i));
                break;
            case One { Mode: PersistMode.Persist } one:
                Persist(one.Value, Handled);
                break;
            case One one:
                PersistAsync(one.Value, Handled);
                break;
            case Batch { Mode: PersistMode.PersistAll } batch:
                PersistAll(batch.Values, Handled);
                break;
            case Batch batch:
                PersistAllAsync(batch.Values, Handled);
                break;
        }
    }

    private void Handled(int value)
    {
        if (value == _target) _replyTo!.Tell(new Done(PersistenceId, LastSequenceNr));
    }
}
