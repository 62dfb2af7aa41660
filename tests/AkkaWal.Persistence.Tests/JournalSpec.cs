using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.TestKit;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>The journal conformance cases of Akka's JournalSpec (TCK), on AkkaWal's journal, plus AkkaWal's own rules.</summary>
public sealed class JournalSpec : WalSpec
{
    private readonly TestProbe _receiver;
    private readonly int _actorInstanceId = 1;

    public JournalSpec(ITestOutputHelper output) : base(output)
    {
        _receiver = CreateTestProbe();
        WriteMessages(1, 5);
    }

    /// <summary>Writes a-from..a-to; the last two as one AtomicWrite (as PersistAll would).</summary>
    private void WriteMessages(int from, int to)
    {
        var writes = Enumerable.Range(from, to - from)
            .Select(i => i == to - 1
                ? new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(Event(i), Event(i + 1)))
                : new AtomicWrite(Event(i)))
            .ToArray();
        var probe = CreateTestProbe();
        Journal.Tell(new WriteMessages(writes, probe.Ref, _actorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        for (var i = from; i <= to; i++)
        {
            var n = i;
            probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.Payload.ToString() == "a-" + n && m.Persistent.SequenceNr == n
                                                      && m.Persistent.PersistenceId == Pid);
        }
    }

    private Persistent Event(long i) => new("a-" + i, i, Pid, string.Empty, false, TestActor, WriterGuid);

    private bool IsReplayed(ReplayedMessage m, long seqNr)
        => !m.Persistent.IsDeleted && m.Persistent.Payload.ToString() == "a-" + seqNr && m.Persistent.PersistenceId == Pid && m.Persistent.SequenceNr == seqNr;

    private void Replay(long from, long to, long max, string? pid = null)
        => Journal.Tell(new ReplayMessages(from, to, max, pid ?? Pid, _receiver.Ref));

    private void ExpectReplayed(params long[] seqNrs)
    {
        foreach (var n in seqNrs) _receiver.ExpectMsg<ReplayedMessage>(m => IsReplayed(m, n));
    }

    private void ExpectRecoverySuccess(long highest) => _receiver.ExpectMsg<RecoverySuccess>(m => m.HighestSequenceNr == highest);

    [Fact]
    public void Replays_all_messages()
    {
        Replay(1, long.MaxValue, long.MaxValue);
        ExpectReplayed(1, 2, 3, 4, 5);
        ExpectRecoverySuccess(5);
    }

    [Fact]
    public void Replays_from_a_lower_sequence_number_bound()
    {
        Replay(3, long.MaxValue, long.MaxValue);
        ExpectReplayed(3, 4, 5);
        ExpectRecoverySuccess(5);
    }

    [Fact]
    public void Replays_to_an_upper_sequence_number_bound()
    {
        Replay(1, 3, long.MaxValue);
        ExpectReplayed(1, 2, 3);
        ExpectRecoverySuccess(5);
    }

    [Fact]
    public void Replays_up_to_a_count_limit()
    {
        Replay(1, long.MaxValue, 3);
        ExpectReplayed(1, 2, 3);
        ExpectRecoverySuccess(5);
    }

    [Fact]
    public void Replays_between_lower_and_upper_bound()
    {
        Replay(2, 3, long.MaxValue);
        ExpectReplayed(2, 3);
        ExpectRecoverySuccess(5);
    }

    [Fact]
    public void Replays_between_bounds_up_to_a_count_limit()
    {
        Replay(2, 5, 2);
        ExpectReplayed(2, 3);
        ExpectRecoverySuccess(5);
    }

    [Fact]
    public void Replays_a_single_message_when_bounds_are_equal()
    {
        Replay(2, 2, long.MaxValue);
        ExpectReplayed(2);
        ExpectRecoverySuccess(5);
    }

    [Fact]
    public void Replays_a_single_message_when_the_limit_is_one()
    {
        Replay(2, 4, 1);
        ExpectReplayed(2);
        ExpectRecoverySuccess(5);
    }

    [Fact]
    public void Replays_nothing_when_the_limit_is_zero()
    {
        Replay(2, 4, 0);
        ExpectRecoverySuccess(5);
    }

    [Fact]
    public void Replays_nothing_when_from_is_greater_than_to()
    {
        Replay(3, 2, long.MaxValue);
        ExpectRecoverySuccess(5);
    }

    [Fact]
    public void Replays_nothing_for_an_id_that_never_wrote()
    {
        Replay(0, long.MaxValue, long.MaxValue, "non-existing-pid");
        ExpectRecoverySuccess(0);
    }

    [Fact]
    public void Does_not_replay_range_deleted_messages_and_publishes_the_delete()
    {
        var deleteProbe = CreateTestProbe();
        var subscriber = CreateTestProbe();
        Subscribe<DeleteMessagesTo>(subscriber.Ref);
        Journal.Tell(new DeleteMessagesTo(Pid, 3, deleteProbe.Ref));
        subscriber.ExpectMsg<DeleteMessagesTo>(m => m.PersistenceId == Pid && m.ToSequenceNr == 3);
        deleteProbe.ExpectMsg<DeleteMessagesSuccess>(m => m.ToSequenceNr == 3);

        Replay(1, long.MaxValue, long.MaxValue);
        ExpectReplayed(4, 5);
        ExpectRecoverySuccess(5);
        deleteProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Keeps_the_highest_sequence_number_after_a_delete()
    {
        Replay(0, long.MaxValue, long.MaxValue);
        ExpectReplayed(1, 2, 3, 4, 5);
        ExpectRecoverySuccess(5);

        Journal.Tell(new DeleteMessagesTo(Pid, 3, _receiver.Ref));
        _receiver.ExpectMsg<DeleteMessagesSuccess>(m => m.ToSequenceNr == 3);

        Replay(0, long.MaxValue, long.MaxValue);
        ExpectReplayed(4, 5);
        ExpectRecoverySuccess(5);
    }

    [Fact]
    public void Keeps_the_highest_sequence_number_after_deleting_everything()
    {
        Journal.Tell(new DeleteMessagesTo(Pid, long.MaxValue, _receiver.Ref));
        _receiver.ExpectMsg<DeleteMessagesSuccess>(m => m.ToSequenceNr == long.MaxValue);

        Replay(0, long.MaxValue, long.MaxValue);
        ExpectRecoverySuccess(5);

        // Events written after the delete are not deleted by it.
        var probe = CreateTestProbe();
        Journal.Tell(new WriteMessages(new[] { new AtomicWrite(Event(6)) }, probe.Ref, _actorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        probe.ExpectMsg<WriteMessageSuccess>();
        Replay(0, long.MaxValue, long.MaxValue);
        ExpectReplayed(6);
        ExpectRecoverySuccess(6);
    }

    /// <summary>What the TCK checks of the written reply and of the replayed event alike.</summary>
    private void AssertEvent6(IPersistentRepresentation p, object @event)
    {
        Assert.Equal(WriterGuid, p.WriterGuid);
        Assert.Equal(Pid, p.PersistenceId);
        Assert.Equal(6L, p.SequenceNr);
        Assert.True(p.Sender is null || p.Sender.Equals(ActorRefs.NoSender) || p.Sender.Equals(Sys.DeadLetters));
        Assert.Equal(@event, p.Payload);
    }

    [Fact]
    public void Serializes_events_with_an_actor_ref_and_keeps_writer_guid()
    {
        var probe = CreateTestProbe();
        var @event = new TestPayload(probe.Ref);
        var write = new AtomicWrite(new Persistent(@event, 6L, Pid, sender: ActorRefs.NoSender, writerGuid: WriterGuid));
        Journal.Tell(new WriteMessages(new[] { write }, probe.Ref, _actorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        AssertEvent6(probe.ExpectMsg<WriteMessageSuccess>().Persistent, @event);

        Replay(6, long.MaxValue, long.MaxValue);
        AssertEvent6(_receiver.ExpectMsg<ReplayedMessage>().Persistent, @event);
        ExpectRecoverySuccess(6);
    }

    [Fact]
    public void Keeps_the_event_adapter_manifest_the_writer_guid_and_sets_a_timestamp()
    {
        var probe = CreateTestProbe();
        // An int has no event adapter, so the manifest reaches the plugin as given.
        var write = new AtomicWrite(new Persistent(42, 6L, Pid, "adapter-manifest-v2", false, ActorRefs.NoSender, "writer-42"));
        var before = DateTime.UtcNow.Ticks;
        Journal.Tell(new WriteMessages(new[] { write }, probe.Ref, _actorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        probe.ExpectMsg<WriteMessageSuccess>();

        Replay(6, 6, long.MaxValue);
        var replayed = _receiver.ExpectMsg<ReplayedMessage>().Persistent;
        Assert.Equal("adapter-manifest-v2", replayed.Manifest);
        Assert.Equal("writer-42", replayed.WriterGuid);
        Assert.InRange(replayed.Timestamp, before, DateTime.UtcNow.Ticks);
        ExpectRecoverySuccess(6);
    }

    [Fact]
    public void Keeps_the_manifest_an_event_adapter_wrote()
    {
        var probe = CreateTestProbe();
        var write = new AtomicWrite(new Persistent(new Versioned("x"), 6L, Pid, writerGuid: WriterGuid));
        Journal.Tell(new WriteMessages(new[] { write }, probe.Ref, _actorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        probe.ExpectMsg<WriteMessageSuccess>();

        Replay(6, 6, long.MaxValue);
        _receiver.ExpectMsg<ReplayedMessage>(m => Equals(m.Persistent.Payload, new Versioned("x@v2")) && m.Persistent.WriterGuid == WriterGuid);
        ExpectRecoverySuccess(6);
    }

    [Fact]
    public void Stores_the_tags_of_a_Tagged_payload_and_replays_the_bare_event()
    {
        var probe = CreateTestProbe();
        var tagged = new Tagged("tagged-event", new[] { "t1", "t2" });
        Journal.Tell(new WriteMessages(new[] { new AtomicWrite(new Persistent(tagged, 6L, Pid, writerGuid: WriterGuid)) }, probe.Ref, _actorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        probe.ExpectMsg<WriteMessageSuccess>();

        Replay(6, 6, long.MaxValue);
        _receiver.ExpectMsg<ReplayedMessage>(m => Equals(m.Persistent.Payload, "tagged-event"));
        ExpectRecoverySuccess(6);
    }

    [Fact]
    public void Rejects_only_the_non_serializable_event_of_a_batch_of_three()
    {
        var writes = Enumerable.Range(6, 3).Select(i =>
        {
            object evt = i == 7 ? new NotSerializable("middle") : "b-" + i;
            return new AtomicWrite(new Persistent(evt, i, Pid, sender: ActorRefs.NoSender, writerGuid: WriterGuid));
        }).ToArray();
        var probe = CreateTestProbe();
        Journal.Tell(new WriteMessages(writes, probe.Ref, _actorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        // As the TCK: each reply carries the event as written (id, writer GUID, no sender).
        probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.SequenceNr == 6L && m.Persistent.Payload.Equals("b-6") && m.Persistent.WriterGuid == WriterGuid
                                                  && m.Persistent.PersistenceId == Pid && m.Persistent.Sender == null);
        probe.ExpectMsg<WriteMessageRejected>(m => m.Persistent.SequenceNr == 7L && m.Persistent.Payload is NotSerializable && m.Cause != null
                                                   && m.Persistent.PersistenceId == Pid && m.Persistent.WriterGuid == WriterGuid && m.Persistent.Sender == null);
        probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.SequenceNr == 8L && m.Persistent.Payload.Equals("b-8") && m.Persistent.WriterGuid == WriterGuid
                                                  && m.Persistent.PersistenceId == Pid && m.Persistent.Sender == null);

        Replay(6, long.MaxValue, long.MaxValue);
        _receiver.ExpectMsg<ReplayedMessage>(m => m.Persistent.SequenceNr == 6 && m.Persistent.Payload.Equals("b-6"));
        _receiver.ExpectMsg<ReplayedMessage>(m => m.Persistent.SequenceNr == 8 && m.Persistent.Payload.Equals("b-8"));
        ExpectRecoverySuccess(8);
    }

    [Fact]
    public void Stores_an_AtomicWrite_of_several_events_and_replays_them_in_order()
    {
        var probe = CreateTestProbe();
        var events = Enumerable.Range(6, 4).Select(i => (IPersistentRepresentation)Event(i)).ToImmutableList();
        Journal.Tell(new WriteMessages(new[] { new AtomicWrite(events) }, probe.Ref, _actorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        for (var i = 6; i <= 9; i++) probe.ExpectMsg<WriteMessageSuccess>();
        Replay(1, long.MaxValue, long.MaxValue);
        ExpectReplayed(1, 2, 3, 4, 5, 6, 7, 8, 9);
        ExpectRecoverySuccess(9);
    }
}
