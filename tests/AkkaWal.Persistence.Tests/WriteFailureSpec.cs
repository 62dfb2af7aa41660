using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using AkkaWal.Persistence.Configuration;
using AkkaWal.Persistence.Journal;
using AkkaWal.Storage;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>An I/O failure is a failure (the write task faults, the actor sees a persist failure), never a success or a rejection.</summary>
public sealed class WriteFailureSpec(ITestOutputHelper output) : WalSpec(output)
{
    private const string JournalId = "akka.persistence.journal.wal";
    private readonly FaultInjectingFileSystem _fs = new();

    private JournalStore OpenFaultyStore()
        => WalPersistence.Get(Sys).OpenJournal(JournalSettings.Create(Sys.Settings.Config.GetConfig(JournalId), JournalId) with { FileSystem = _fs });

    private AtomicWrite Write(long seqNr) => new(new Persistent($"e{seqNr}", seqNr, Pid, "", false, ActorRefs.NoSender, WriterGuid));

    [Fact]
    public async Task A_failed_fsync_faults_the_write_and_every_later_one()
    {
        var store = OpenFaultyStore();
        Assert.Null(await store.WriteAsync(new[] { Write(1) }));
        _fs.InjectFault(FaultOperation.FlushData, 1, FaultInjectingFileSystem.EIO, persistent: true);

        var failed = await Assert.ThrowsAsync<JournalWriteException>(() => store.WriteAsync(new[] { Write(2) }));
        Assert.Contains(JournalId, failed.Message);
        await Assert.ThrowsAsync<JournalWriteException>(() => store.WriteAsync(new[] { Write(3) }));

        Assert.Equal(1, await store.ReadHighestSequenceNrAsync(Pid));
        var replayed = new List<IPersistentRepresentation>();
        store.Replay(Pid, 1, long.MaxValue, long.MaxValue, replayed.Add, CancellationToken.None);
        Assert.Equal(new object[] { "e1" }, replayed.Select(p => p.Payload));
    }

    [Fact]
    public void A_persistent_actor_sees_a_persist_failure_not_a_rejection()
    {
        OpenFaultyStore();
        var actor = Sys.ActorOf(PersistingActor.Props(Pid));
        actor.Tell("before");
        ExpectMsg("before-done");
        _fs.InjectFault(FaultOperation.FlushData, 1, FaultInjectingFileSystem.EIO, persistent: true);

        Watch(actor);
        actor.Tell("during");
        ExpectTerminated(actor); // OnPersistFailure stops the actor; a rejection would keep it alive
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // and "during-done" never came
    }

    [Fact]
    public async Task An_id_whose_only_writes_failed_is_not_reported_as_a_persistence_id()
    {
        var store = OpenFaultyStore();
        Assert.Null(await store.WriteAsync(new[] { Write(1) }));
        _fs.InjectFault(FaultOperation.FlushData, 1, FaultInjectingFileSystem.EIO, persistent: true);
        await Assert.ThrowsAsync<JournalWriteException>(() =>
            store.WriteAsync(new[] { new AtomicWrite(new Persistent("lost", 1, "ghost", "", false, ActorRefs.NoSender, WriterGuid)) }));

        Assert.Equal(new[] { Pid }, store.PersistenceIdsFrom(0, 100));
        Assert.Equal(1, store.PersistenceIdCount);
    }
}
