using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using AkkaWal.Persistence.Configuration;
using AkkaWal.Storage;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>
/// The journal's own WriteMessages path (past AsyncWriteJournal's machinery) keeps the reply protocol: per group
/// WriteMessagesSuccessful/WriteMessagesFailed first, then one reply per envelope in order, rejections apart from
/// failures, LoopMessageSuccess for non-persistent envelopes, groups replied to in arrival order.
/// </summary>
public sealed class WriteMessagesPathSpec(ITestOutputHelper output) : WalSpec(output)
{
    private const string JournalId = "akka.persistence.journal.wal";
    private const int InstanceId = 7;
    private readonly FaultInjectingFileSystem _fs = new();

    private Persistent Event(object payload, long seqNr, string? pid = null)
        => new(payload, seqNr, pid ?? Pid, "", false, ActorRefs.NoSender, WriterGuid);

    /// <summary>A non-persistent envelope, as DeferAsync puts in a batch (Akka's NonPersistentMessage is internal).</summary>
    private sealed class Loop(object payload, IActorRef? sender) : IPersistentEnvelope
    {
        public object Payload { get; } = payload;
        public IActorRef Sender { get; } = sender!;
        public int Size => 1;
    }

    private static AtomicWrite Atomic(params Persistent[] events)
        => new(events.Cast<IPersistentRepresentation>().ToImmutableList());

    private List<object> Replay(string pid)
    {
        var probe = CreateTestProbe();
        Journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, pid, probe.Ref));
        var replayed = new List<object>();
        while (true)
        {
            var m = probe.ExpectMsg<object>();
            if (m is RecoverySuccess) return replayed;
            replayed.Add(((ReplayedMessage)m).Persistent.Payload);
        }
    }

    [Fact]
    public void A_rejected_AtomicWrite_between_good_ones_of_the_same_and_other_ids_is_rejected_alone_in_order()
    {
        var other = Pid + "-other";
        var probe = CreateTestProbe();
        var loopSender = CreateTestProbe();
        Journal.Tell(new WriteMessages(new IPersistentEnvelope[]
        {
            Atomic(Event("s-1", 1)),
            Atomic(Event("o-1", 1, other)),
            new Loop("loop-1", loopSender.Ref),
            Atomic(Event("s-2", 2), Event(new NotSerializable("bad"), 3)),   // one bad event rejects its whole AtomicWrite
            Atomic(Event(new NotSerializable("bad"), 2, other)),
            Atomic(Event("s-4", 4)),
            Atomic(Event("o-3", 3, other)),
        }, probe.Ref, InstanceId));

        probe.ExpectMsg<WriteMessagesSuccessful>();
        probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.Payload.Equals("s-1") && m.ActorInstanceId == InstanceId);
        probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.Payload.Equals("o-1") && m.ActorInstanceId == InstanceId);
        var loop = probe.ExpectMsg<LoopMessageSuccess>(m => m.Message.Equals("loop-1") && m.ActorInstanceId == InstanceId);
        Assert.Equal(loopSender.Ref, probe.LastSender);
        probe.ExpectMsg<WriteMessageRejected>(m => m.Persistent.SequenceNr == 2 && m.Cause != null && m.ActorInstanceId == InstanceId);
        probe.ExpectMsg<WriteMessageRejected>(m => m.Persistent.SequenceNr == 3 && m.Cause != null);
        probe.ExpectMsg<WriteMessageRejected>(m => m.Persistent.PersistenceId == other && m.Persistent.SequenceNr == 2);
        probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.Payload.Equals("s-4"));
        probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.Payload.Equals("o-3"));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.NotNull(loop);

        Assert.Equal(new object[] { "s-1", "s-4" }, Replay(Pid));
        Assert.Equal(new object[] { "o-1", "o-3" }, Replay(other));
    }

    [Fact]
    public void Groups_sent_back_to_back_are_answered_in_arrival_order_also_a_loop_only_or_all_rejected_one()
    {
        var probe = CreateTestProbe();
        var expected = new List<string>();
        for (var i = 1; i <= 30; i++)
        {
            IPersistentEnvelope envelope = (i % 10) switch
            {
                3 => new Loop("loop-" + i, ActorRefs.NoSender),                         // a group with no write at all
                6 => Atomic(Event(new NotSerializable("bad"), 1000 + i)),                              // a group wholly rejected
                _ => Atomic(Event("e-" + i, i, Pid + "-" + (i % 4))),
            };
            expected.Add((i % 10) switch { 3 => "loop-" + i, 6 => "rejected-" + (1000 + i), _ => "e-" + i });
            Journal.Tell(new WriteMessages(new[] { envelope }, probe.Ref, InstanceId));
        }
        foreach (var want in expected)
        {
            probe.ExpectMsg<WriteMessagesSuccessful>();
            var reply = probe.ExpectMsg<object>();
            var got = reply switch
            {
                WriteMessageSuccess s => (string)s.Persistent.Payload,
                LoopMessageSuccess l => (string)l.Message,
                WriteMessageRejected r => "rejected-" + r.Persistent.SequenceNr,
                _ => reply.ToString()!,
            };
            Assert.Equal(want, got);
        }
    }

    [Fact]
    public void A_failed_append_fails_every_event_of_the_group_and_still_loops_the_non_persistent_ones()
    {
        WalPersistence.Get(Sys).OpenJournal(JournalSettings.Create(Sys.Settings.Config.GetConfig(JournalId), JournalId) with { FileSystem = _fs });
        var probe = CreateTestProbe();
        Journal.Tell(new WriteMessages(new[] { Atomic(Event("ok", 1)) }, probe.Ref, InstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        probe.ExpectMsg<WriteMessageSuccess>();

        _fs.InjectFault(FaultOperation.FlushData, 1, FaultInjectingFileSystem.EIO, persistent: true);
        Journal.Tell(new WriteMessages(new IPersistentEnvelope[]
        {
            Atomic(Event("lost-2", 2), Event("lost-3", 3)),
            new Loop("loop", ActorRefs.NoSender),
            Atomic(Event(new NotSerializable("bad"), 4)),
        }, probe.Ref, InstanceId));
        probe.ExpectMsg<WriteMessagesFailed>(m => m.WriteCount == 2 && m.Cause != null);
        probe.ExpectMsg<WriteMessageFailure>(m => m.Persistent.SequenceNr == 2 && m.ActorInstanceId == InstanceId);
        probe.ExpectMsg<WriteMessageFailure>(m => m.Persistent.SequenceNr == 3);
        probe.ExpectMsg<LoopMessageSuccess>(m => m.Message.Equals("loop"));
        probe.ExpectMsg<WriteMessageFailure>(m => m.Persistent.SequenceNr == 4);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
