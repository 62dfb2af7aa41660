using System.Text;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Fsm;
using Akka.Serialization;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>The cases of Akka's JournalSerializationSpec and SnapshotStoreSerializationSpec (TCK) on AkkaWal's plugins.</summary>
public sealed class SerializationSpec(ITestOutputHelper output) : WalSpec(output, """
    akka.actor {
      serializers {
        by-type = "AkkaWal.Persistence.Tests.ByTypeSnapshotSerializer, AkkaWal.Persistence.Tests"
        by-manifest = "AkkaWal.Persistence.Tests.ByManifestSnapshotSerializer, AkkaWal.Persistence.Tests"
      }
      serialization-bindings {
        "AkkaWal.Persistence.Tests.ByTypeSnapshot, AkkaWal.Persistence.Tests" = by-type
        "AkkaWal.Persistence.Tests.ByManifestSnapshot, AkkaWal.Persistence.Tests" = by-manifest
      }
    }
    """)
{
    private const int ActorInstanceId = 1;

    private object SaveAndLoad(long seqNr, object snapshot)
    {
        var probe = CreateTestProbe();
        SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(Pid, seqNr, DateTime.MinValue), snapshot), probe.Ref);
        probe.ExpectMsg<SaveSnapshotSuccess>();
        SnapshotStore.Tell(new LoadSnapshot(Pid, SnapshotSelectionCriteria.Latest, long.MaxValue), probe.Ref);
        var loaded = probe.ExpectMsg<LoadSnapshotResult>().Snapshot;
        Assert.NotNull(loaded);
        return loaded!.Snapshot;
    }

    [Fact]
    public void Journal_serializes_a_Persistent_with_no_manifest_and_no_sender()
    {
        var probe = CreateTestProbe();
        var written = new Persistent("string payload", 1L, Pid, null, false, null, WriterGuid);
        Journal.Tell(new WriteMessages(new[] { new AtomicWrite(written) }, probe.Ref, ActorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        probe.ExpectMsg<WriteMessageSuccess>(m => m.ActorInstanceId == ActorInstanceId && m.Persistent.PersistenceId == Pid);

        Journal.Tell(new ReplayMessages(0, 1, long.MaxValue, Pid, probe.Ref));
        probe.ExpectMsg<ReplayedMessage>(m => m.Persistent.PersistenceId == Pid && m.Persistent.SequenceNr == 1L
                                              && m.Persistent.Payload.Equals("string payload"));
        probe.ExpectMsg<RecoverySuccess>();
    }

    [Fact]
    public void Snapshot_store_serializes_with_a_type_manifest_serializer()
        => Assert.Equal(".a.", Assert.IsType<ByTypeSnapshot>(SaveAndLoad(1, new ByTypeSnapshot("a"))).Data);

    [Fact]
    public void Snapshot_store_serializes_with_a_string_manifest_serializer()
        => Assert.Equal(".a.", Assert.IsType<ByManifestSnapshot>(SaveAndLoad(1, new ByManifestSnapshot("a"))).Data);

    [Fact]
    public void Snapshot_store_serializes_an_AtLeastOnceDeliverySnapshot()
    {
        var snapshot = new AtLeastOnceDeliverySnapshot(17, new[]
        {
            new UnconfirmedDelivery(1, TestActor.Path, "a"),
            new UnconfirmedDelivery(2, TestActor.Path, "b"),
            new UnconfirmedDelivery(3, TestActor.Path, 42),
        });
        Assert.Equal(snapshot, SaveAndLoad(2, snapshot));
    }

    [Fact]
    public void Snapshot_store_serializes_an_AtLeastOnceDeliverySnapshot_with_nothing_unconfirmed()
    {
        var snapshot = new AtLeastOnceDeliverySnapshot(13, Array.Empty<UnconfirmedDelivery>());
        Assert.Equal(snapshot, SaveAndLoad(2, snapshot));
    }

    [Fact]
    public void Snapshot_store_serializes_a_PersistentFSMSnapshot()
    {
#pragma warning disable CS0618 // PersistentFSM is obsolete in Akka, but its snapshots still exist in users' stores
        var snapshot = new PersistentFSM.PersistentFSMSnapshot<string>("mystate", "mydata", TimeSpan.FromDays(4));
#pragma warning restore CS0618
        Assert.Equal(snapshot, SaveAndLoad(2, snapshot));
    }
}

public sealed record ByTypeSnapshot(string Data);

public sealed record ByManifestSnapshot(string Data);

/// <summary>A serializer that needs the type manifest to read back (IncludeManifest), adding a dot each way.</summary>
public sealed class ByTypeSnapshotSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 77124;
    public override bool IncludeManifest => true;

    public override byte[] ToBinary(object obj)
        => obj is ByTypeSnapshot s ? Encoding.UTF8.GetBytes("." + s.Data) : throw new ArgumentException($"cannot serialize {obj.GetType()}");

    public override object FromBinary(byte[] bytes, Type type)
        => type == typeof(ByTypeSnapshot) ? new ByTypeSnapshot(Encoding.UTF8.GetString(bytes) + ".") : throw new ArgumentException($"unexpected type {type}");
}

/// <summary>A serializer that needs its string manifest to read back, adding a dot each way.</summary>
public sealed class ByManifestSnapshotSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public override int Identifier => 77126;

    public override string Manifest(object o) => o is ByManifestSnapshot ? "S" : throw new ArgumentException($"cannot serialize {o.GetType()}");

    public override byte[] ToBinary(object obj)
        => obj is ByManifestSnapshot s ? Encoding.UTF8.GetBytes("." + s.Data) : throw new ArgumentException($"cannot serialize {obj.GetType()}");

    public override object FromBinary(byte[] bytes, string manifest)
        => manifest == "S" ? new ByManifestSnapshot(Encoding.UTF8.GetString(bytes) + ".") : throw new ArgumentException($"unexpected manifest {manifest}");
}
