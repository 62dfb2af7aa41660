using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using AkkaWal.Persistence.Snapshot;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>The snapshot store cases of Akka's SnapshotStoreSpec (TCK), plus AkkaWal's file-naming and durability rules.</summary>
public sealed class SnapshotStoreSpec : WalSpec
{
    private readonly TestProbe _sender;
    private readonly List<SnapshotMetadata> _metadata;

    public SnapshotStoreSpec(ITestOutputHelper output) : base(output)
    {
        _sender = CreateTestProbe();
        _metadata = Enumerable.Range(1, 5).Select(i => Save(Pid, i + 10, $"s-{i}")).ToList();
    }

    private SnapshotMetadata Save(string pid, long seqNr, object snapshot)
    {
        SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(pid, seqNr, DateTime.MinValue), snapshot), _sender.Ref);
        return _sender.ExpectMsg<SaveSnapshotSuccess>().Metadata;
    }

    private LoadSnapshotResult Load(string pid, SnapshotSelectionCriteria criteria, long toSequenceNr = long.MaxValue)
    {
        SnapshotStore.Tell(new LoadSnapshot(pid, criteria, toSequenceNr), _sender.Ref);
        return _sender.ExpectMsg<LoadSnapshotResult>();
    }

    private void AssertLoaded(LoadSnapshotResult result, int index, long toSequenceNr = long.MaxValue)
    {
        Assert.Equal(toSequenceNr, result.ToSequenceNr);
        Assert.NotNull(result.Snapshot);
        Assert.Equal(_metadata[index], result.Snapshot!.Metadata);
        Assert.Equal($"s-{index + 1}", result.Snapshot.Snapshot.ToString());
    }

    [Fact]
    public void Loads_nothing_for_an_unknown_persistence_id()
    {
        var result = Load("invalid", SnapshotSelectionCriteria.Latest);
        Assert.Null(result.Snapshot);
        Assert.Equal(long.MaxValue, result.ToSequenceNr);
    }

    [Fact]
    public void Loads_nothing_for_non_matching_timestamp_criteria()
        => Assert.Null(Load(Pid, new SnapshotSelectionCriteria(long.MaxValue, new DateTime(100000))).Snapshot);

    [Fact]
    public void Loads_nothing_for_non_matching_sequence_number_criteria()
    {
        Assert.Null(Load(Pid, new SnapshotSelectionCriteria(7)).Snapshot);
        var result = Load(Pid, SnapshotSelectionCriteria.Latest, 7);
        Assert.Null(result.Snapshot);
        Assert.Equal(7, result.ToSequenceNr);
    }

    [Fact]
    public void Loads_the_most_recent_snapshot() => AssertLoaded(Load(Pid, SnapshotSelectionCriteria.Latest), 4);

    [Fact]
    public void Loads_the_most_recent_snapshot_under_an_upper_sequence_number_bound()
    {
        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(13)), 2);
        AssertLoaded(Load(Pid, SnapshotSelectionCriteria.Latest, 13), 2, 13);
    }

    [Fact]
    public void Loads_the_most_recent_snapshot_under_upper_sequence_number_and_timestamp_bounds()
    {
        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(13, _metadata[2].Timestamp)), 2);
        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(long.MaxValue, _metadata[2].Timestamp), 13), 2, 13);
        // The timestamp alone bounds it too.
        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(long.MaxValue, _metadata[1].Timestamp)), 1);
    }

    [Fact]
    public void Honours_minimum_sequence_number_and_timestamp_bounds()
    {
        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(long.MaxValue, DateTime.MaxValue, 12, null)), 4);
        Assert.Null(Load(Pid, new SnapshotSelectionCriteria(11, DateTime.MaxValue, 12, null)).Snapshot);
        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(13, DateTime.MaxValue, 0, _metadata[1].Timestamp)), 2);
        Assert.Null(Load(Pid, new SnapshotSelectionCriteria(12, DateTime.MaxValue, 0, _metadata[2].Timestamp)).Snapshot);
    }

    [Fact]
    public void Deletes_a_single_snapshot_by_metadata_and_publishes_the_command()
    {
        var md = new SnapshotMetadata(_metadata[2].PersistenceId, _metadata[2].SequenceNr, DateTime.MinValue); // timestamp does not matter
        var command = new DeleteSnapshot(md);
        var sub = CreateTestProbe();
        Subscribe<DeleteSnapshot>(sub.Ref);
        SnapshotStore.Tell(command, _sender.Ref);
        sub.ExpectMsg(command);
        _sender.ExpectMsg<DeleteSnapshotSuccess>();

        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(md.SequenceNr)), 1);
    }

    // akka.net #7312: DeleteSnapshot(metadata) deletes the snapshot at that sequence number only when its stored
    // timestamp is at or before the metadata's; an earlier timestamp deletes nothing and still succeeds.
    [Fact]
    public void Does_not_delete_a_single_snapshot_whose_timestamp_is_after_the_metadata_timestamp()
    {
        var stored = _metadata[2];
        var md = new SnapshotMetadata(stored.PersistenceId, stored.SequenceNr, stored.Timestamp.Subtract(TimeSpan.FromTicks(1)));
        SnapshotStore.Tell(new DeleteSnapshot(md), _sender.Ref);
        Assert.Equal(md, _sender.ExpectMsg<DeleteSnapshotSuccess>().Metadata);

        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(stored.SequenceNr)), 2);
    }

    [Fact]
    public void Deletes_a_single_snapshot_whose_timestamp_is_at_the_metadata_timestamp_and_nothing_else()
    {
        SnapshotStore.Tell(new DeleteSnapshot(_metadata[2]), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotSuccess>();

        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(_metadata[2].SequenceNr)), 1);
        AssertLoaded(Load(Pid, SnapshotSelectionCriteria.Latest), 4);
        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(_metadata[3].SequenceNr)), 3);
    }

    [Fact]
    public void Deletes_all_snapshots_matching_upper_sequence_number_and_timestamp_bounds()
    {
        var md = _metadata[2];
        var command = new DeleteSnapshots(Pid, new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp));
        var sub = CreateTestProbe();
        Subscribe<DeleteSnapshots>(sub.Ref);
        SnapshotStore.Tell(command, _sender.Ref);
        sub.ExpectMsg(command);
        _sender.ExpectMsg<DeleteSnapshotsSuccess>();

        Assert.Null(Load(Pid, new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp)).Snapshot);
        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(_metadata[3].SequenceNr, _metadata[3].Timestamp)), 3);
    }

    [Fact]
    public void Does_not_delete_snapshots_outside_the_upper_timestamp_bound()
    {
        var md = _metadata[3];
        var criteria = new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp.Subtract(TimeSpan.FromTicks(1)));
        SnapshotStore.Tell(new DeleteSnapshots(Pid, criteria), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotsSuccess>(m => m.Criteria.Equals(criteria));

        AssertLoaded(Load(Pid, new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp)), 3);
        Assert.Null(Load(Pid, new SnapshotSelectionCriteria(_metadata[2].SequenceNr)).Snapshot);
    }

    [Fact]
    public void A_throwing_query_subscriber_does_not_fail_a_save()
    {
        WalPersistence.Get(Sys).Snapshots("akka.persistence.snapshot-store.wal").Changed += () => throw new InvalidOperationException("subscriber bug");
        Save("new-id", 1, "first"); // a new id raises Changed; the save must still succeed
        Assert.Equal("first", Load("new-id", SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot);
    }

    [Fact]
    public void A_second_store_on_the_same_directory_is_refused_naming_the_directory_and_owner()
    {
        const string id = "akka.persistence.snapshot-store.wal";
        var settings = Configuration.SnapshotStoreSettings.Create(Sys.Settings.Config.GetConfig(id), id);
        var refused = Assert.Throws<SnapshotDirectoryLockedException>(() => SnapshotCatalog.Open(settings));
        Assert.Contains(settings.Directory, refused.Message);
        Assert.Equal(Environment.ProcessId, refused.OwnerProcessId);
        Assert.Contains($"process {Environment.ProcessId}", refused.Message);
        // The store that owns the directory goes on working.
        Save(Pid, 99, "still-mine");
        Assert.Equal("still-mine", Load(Pid, SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot);
    }

    [Fact]
    public async Task The_directory_lock_is_released_when_the_actor_system_terminates()
    {
        const string id = "akka.persistence.snapshot-store.wal";
        var settings = Configuration.SnapshotStoreSettings.Create(Sys.Settings.Config.GetConfig(id), id);
        await Sys.Terminate();
        using var reopened = SnapshotCatalog.Open(settings);
        Assert.Equal(1, reopened.PersistenceIdCount);
    }

    [Fact]
    public void Overwrites_a_snapshot_with_the_same_sequence_number()
    {
        var md = _metadata[4];
        var md2 = Save(Pid, md.SequenceNr, "s-5-modified");
        Assert.Equal(md.SequenceNr, md2.SequenceNr);
        var result = Load(Pid, new SnapshotSelectionCriteria(md.SequenceNr));
        Assert.Equal("s-5-modified", result.Snapshot!.Snapshot.ToString());
        Assert.Equal(md.SequenceNr, result.Snapshot.Metadata.SequenceNr);
        Assert.Single(Directory.GetFiles(Path.Combine(Dir, "snapshots"), SnapshotFileName.KeyOf(Pid) + ".0000000000000000015.snap"));
    }

    [Fact]
    public void Saves_a_snapshot_larger_than_10_kB()
    {
        var big = new byte[100_000];
        new Random(7).NextBytes(big);
        Save(Pid, 100, big);
        var loaded = Load(Pid, SnapshotSelectionCriteria.Latest).Snapshot!;
        Assert.Equal(100, loaded.Metadata.SequenceNr);
        Assert.Equal(big, (byte[])loaded.Snapshot);
    }

    [Fact]
    public void Serializes_snapshots_through_Akka_serialization_with_actor_refs()
    {
        var probe = CreateTestProbe();
        var snap = new TestPayload(probe.Ref);
        Save(Pid, 100, snap);
        var loaded = Load(Pid, SnapshotSelectionCriteria.Latest).Snapshot!;
        Assert.Equal(Pid, loaded.Metadata.PersistenceId);
        Assert.Equal(100L, loaded.Metadata.SequenceNr);
        Assert.Equal(snap, loaded.Snapshot);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a-1")]
    [InlineData("a-1-2")]
    [InlineData("shard/region/entity-7")]
    [InlineData("UPPER.lower_ünïcødé-名前")]
    [InlineData("..")]
    public void Keeps_persistence_ids_that_share_prefixes_and_odd_characters_apart(string pid)
    {
        // Every id below gets one snapshot at sequence number 1; the one under test must load only its own.
        var ids = new[] { "a", "a-1", "a-1-2", "shard/region/entity-7", "UPPER.lower_ünïcødé-名前", "..", "a_2d1" };
        foreach (var id in ids) Save(id, 1, "snapshot of " + id);
        var loaded = Load(pid, SnapshotSelectionCriteria.Latest).Snapshot!;
        Assert.Equal(pid, loaded.Metadata.PersistenceId);
        Assert.Equal("snapshot of " + pid, loaded.Snapshot);
        SnapshotStore.Tell(new DeleteSnapshots(pid, SnapshotSelectionCriteria.Latest), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotsSuccess>();
        Assert.Null(Load(pid, SnapshotSelectionCriteria.Latest).Snapshot);
        foreach (var other in ids.Where(i => i != pid))
            Assert.Equal("snapshot of " + other, Load(other, SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot);
    }

    [Fact]
    public void Stores_very_long_persistence_ids_that_share_a_long_prefix()
    {
        var prefix = new string('x', 400);
        var first = prefix + "-first";
        var second = prefix + "-second";
        Save(first, 3, "one");
        Save(second, 3, "two");
        Assert.Equal("one", Load(first, SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot);
        Assert.Equal("two", Load(second, SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot);
        Assert.All(Directory.GetFiles(Path.Combine(Dir, "snapshots")), f => Assert.True(Path.GetFileName(f).Length < 255));

        SnapshotStore.Tell(new DeleteSnapshot(new SnapshotMetadata(first, 3, DateTime.MinValue)), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotSuccess>();
        Assert.Null(Load(first, SnapshotSelectionCriteria.Latest).Snapshot);
        Assert.Equal("two", Load(second, SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot);
    }

    [Fact]
    public void Skips_a_damaged_snapshot_file_for_the_next_older_one()
    {
        var newest = Path.Combine(Dir, "snapshots", SnapshotFileName.Of(Pid, _metadata[4].SequenceNr));
        var bytes = File.ReadAllBytes(newest);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(newest, bytes);
        AssertLoaded(Load(Pid, SnapshotSelectionCriteria.Latest), 3);
    }
}

/// <summary>Snapshots survive the actor system and a crashed save leaves nothing behind.</summary>
public sealed class SnapshotDurabilitySpec(ITestOutputHelper output)
{
    [Fact]
    public async Task Snapshots_survive_a_new_actor_system_and_leftover_temp_files_are_removed()
    {
        using var dir = new TempDirectory(); // declared first: disposed after the systems
        var pid = "sensor/7-α";
        using (var sys = ActorSystem.Create("snap1", WalSpec.SystemConfig(dir.Path)))
        {
            var store = Akka.Persistence.Persistence.Instance.Apply(sys).SnapshotStoreFor(null);
            var saved = await store.Ask<SaveSnapshotSuccess>(new SaveSnapshot(new SnapshotMetadata(pid, 42, DateTime.MinValue), "state-42"), TimeSpan.FromSeconds(10));
            output.WriteLine($"saved {saved.Metadata}");
            await sys.Terminate();
        }
        var leftover = Path.Combine(dir.Path, "snapshots", SnapshotFileName.Of(pid, 43) + ".0123.tmp");
        await File.WriteAllTextAsync(leftover, "half-written");

        using var sys2 = ActorSystem.Create("snap2", WalSpec.SystemConfig(dir.Path));
        var store2 = Akka.Persistence.Persistence.Instance.Apply(sys2).SnapshotStoreFor(null);
        var result = await store2.Ask<LoadSnapshotResult>(new LoadSnapshot(pid, SnapshotSelectionCriteria.Latest, long.MaxValue), TimeSpan.FromSeconds(10));
        Assert.Equal("state-42", result.Snapshot!.Snapshot);
        Assert.Equal(42, result.Snapshot.Metadata.SequenceNr);
        Assert.False(File.Exists(leftover));
        await sys2.Terminate();
    }
}
