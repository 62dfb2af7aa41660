using Akka.Actor;
using Akka.Persistence;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions;

/// <summary>
/// Records the number of partitions with the data, once, in its own journal (<c>&lt;prefix&gt;layout</c>), and refuses a
/// start with another number: keys hash to partitions by that number, so a different one would read every key from the
/// wrong partition. Answers <see cref="CheckLayout"/> with <see cref="LayoutChecked"/>.
/// </summary>
internal sealed class PartitionLayoutActor : UntypedPersistentActor
{
    private readonly TransactionSettings _settings;
    private int? _recorded;
    private IActorRef _recording = ActorRefs.Nobody;

    public PartitionLayoutActor(TransactionSettings settings)
    {
        _settings = settings;
        JournalPluginId = settings.JournalPluginId;
        SnapshotPluginId = settings.SnapshotPluginId;
    }

    public static Akka.Actor.Props Props(TransactionSettings settings) => Akka.Actor.Props.Create(() => new PartitionLayoutActor(settings));

    public override string PersistenceId => _settings.LayoutPersistenceId;

    protected override void OnRecover(object message)
    {
        if (message is PartitionLayoutRecorded recorded)
            _recorded = recorded.Partitions;
    }

    protected override void OnCommand(object message)
    {
        if (message is not CheckLayout check)
        {
            Unhandled(message);
            return;
        }
        if (_recorded is null)
        {
            var replyTo = _recording = Sender;
            Persist(new PartitionLayoutRecorded(check.Partitions), recorded =>
            {
                _recorded = recorded.Partitions;
                replyTo.Tell(new LayoutChecked(recorded.Partitions, null), Self);
            });
            return;
        }
        Sender.Tell(new LayoutChecked(_recorded.Value, _recorded == check.Partitions
            ? null
            : $"{TransactionSettings.SectionPath}.partitions = {check.Partitions}, but the data (journal '{PersistenceId}') was written with " +
              $"partitions = {_recorded}; keys are spread by that number, so it cannot change. Set {TransactionSettings.SectionPath}.partitions = {_recorded}."));
    }

    /// <summary>Another node's coordinator may have recorded the layout first (the shared journal refuses this write):
    /// answer at once, so the coordinator checks again with a fresh actor that reads the recorded number.</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _recording.Tell(new Status.Failure(cause));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
