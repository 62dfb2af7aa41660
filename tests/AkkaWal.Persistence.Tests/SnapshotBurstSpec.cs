using Akka.Actor;
using Akka.Persistence;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>The cases of Akka's SnapshotStoreSaveSnapshotSpec (TCK): rapid saves at one sequence number keep the last.</summary>
public sealed class SnapshotBurstSpec(ITestOutputHelper output) : WalSpec(output)
{
    private sealed record TakeSnapshots(int[][] Values);

    private sealed class GetAll
    {
        public static readonly GetAll Instance = new();
    }

    private sealed class SnapshottingActor : ReceivePersistentActor
    {
        private List<int> _values = new();
        private IActorRef? _requester;
        private int _expected;
        private int _saved;

        public SnapshottingActor(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<SnapshotOffer>(offer => _values = ((IEnumerable<int>)offer.Snapshot).ToList());
            Recover<int>(_values.Add);
            Command<int>(i =>
            {
                var sender = Sender;
                Persist(i, _ => { _values.Add(i); sender.Tell("ack"); });
            });
            Command<TakeSnapshots>(msg =>
            {
                _requester = Sender;
                _expected = msg.Values.Length;
                _saved = 0;
                foreach (var snapshot in msg.Values)
                {
                    _values = snapshot.ToList();
                    SaveSnapshot(_values); // the list itself, as the TCK saves it
                }
            });
            Command<SaveSnapshotSuccess>(_ => { if (++_saved == _expected) _requester.Tell("snapshots-saved"); });
            Command<GetAll>(_ => Sender.Tell(_values.ToArray()));
        }

        public override string PersistenceId { get; }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_burst_of_saves_at_one_sequence_number_keeps_the_last(bool persistFirst)
    {
        for (var iteration = 0; iteration < 200; iteration++) // as many rounds as the TCK
        {
            var pid = $"burst-{persistFirst}-{iteration}";
            var actor = Sys.ActorOf(Props.Create(() => new SnapshottingActor(pid)));
            if (persistFirst)
            {
                actor.Tell(1);
                ExpectMsg("ack");
                actor.Tell(2);
                ExpectMsg("ack");
            }
            actor.Tell(new TakeSnapshots(new[] { new[] { 0 }, new[] { 1 }, new[] { 2 }, new[] { 3 } }));
            ExpectMsg("snapshots-saved");
            Watch(actor);
            actor.Tell(PoisonPill.Instance);
            ExpectTerminated(actor);

            var again = Sys.ActorOf(Props.Create(() => new SnapshottingActor(pid)));
            again.Tell(GetAll.Instance);
            Assert.Equal(new[] { 3 }, ExpectMsg<int[]>());
            Watch(again);
            again.Tell(PoisonPill.Instance);
            ExpectTerminated(again);
        }
    }
}
