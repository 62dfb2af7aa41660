using System.Collections.Immutable;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using AkkaWal.Persistence.Configuration;
using AkkaWal.Persistence.Journal;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>
/// The index checkpoint: open with it gives exactly the index (and replays, highest sequence numbers, tag and
/// all-events queries) of a full rebuild from the log; a damaged, truncated, foreign or stale one is refused with a
/// warning and the index rebuilt; one taken before a compaction neither resurrects removed events nor misses deletes.
/// Stores are opened directly on real files, one at a time, as the journal opens them.
/// </summary>
public sealed class IndexCheckpointSpec(ITestOutputHelper output) : WalSpec(output, "akka.persistence.journal.wal.compaction.interval = off")
{
    private string LogDir => Path.Combine(Dir, "own-journal");
    private string CheckpointPath => Path.Combine(LogDir, IndexCheckpointFile.FileName);

    private JournalSettings Settings(bool checkpoints = true) => JournalSettings.Create(
        Akka.Configuration.ConfigurationFactory.ParseString($$"""
            directory = "{{LogDir}}"
            segment-size = 8KiB
            max-record-size = 4KiB
            index-checkpoint.enabled = {{(checkpoints ? "on" : "off")}}
            """), "akka.persistence.journal.own");

    private JournalStore Open(bool checkpoints = true) => JournalStore.Open((ExtendedActorSystem)Sys, Settings(checkpoints));

    private static async Task Write(JournalStore store, string pid, long from, long to, params string[] tags)
    {
        var events = Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (IPersistentRepresentation)new Persistent(
            tags.Length == 0 ? Payload(pid, i) : new Tagged(Payload(pid, i), tags), i, pid, "", false, ActorRefs.NoSender, "w")).ToImmutableList();
        Assert.Null(await store.WriteAsync([new AtomicWrite(events)]));
    }

    private static string Payload(string pid, long seq) => $"{pid}-{seq}-" + new string('x', 100);

    /// <summary>Several ids, tags (shared and single), deletes (one of them everything), a second writer's superseding record.</summary>
    private static async Task History(JournalStore store, int round)
    {
        for (var i = 0; i < 6; i++)
        {
            var pid = $"pid-{i}";
            var from = store.HighestSequenceNr(pid) + 1;
            await Write(store, pid, from, from + 9 + round, i % 2 == 0 ? ["even", $"r{round}"] : []);
        }
        await store.DeleteMessagesToAsync("pid-1", store.HighestSequenceNr("pid-1") - 3);
        await store.DeleteMessagesToAsync("pid-2", long.MaxValue);
        await Write(store, "pid-3", 2, 2); // a second writer rewrites seq 2: supersedes the earlier record
    }

    /// <summary>Everything the index holds, as text: ids in query order with events and delete state, every ordering list.</summary>
    private static string Describe(JournalStore store, bool withDeadBytes = true) => store.InspectIndex((index, nextOrdering) =>
    {
        var sb = new StringBuilder();
        sb.AppendLine($"next ordering {nextOrdering}" + (withDeadBytes ? $", dead bytes {index.DeadBytes}" : ""));
        // Sorted: a full rebuild reports ids in the order they first appear in the log, which compaction can change;
        // a checkpoint keeps the order they were reported in. Either order is valid for PersistenceIds.
        foreach (var pid in index.ReportedPids.OrderBy(p => p.Id, StringComparer.Ordinal))
            sb.AppendLine($"{pid.Id} highest {pid.Highest} deleted-to {pid.DeletedTo} marker {pid.MarkerPosition}/{pid.MarkerLength}: " +
                          string.Join(" ", pid.Entries.Select(e => $"{e.SequenceNr}@{e.Position}+{e.Length}")));
        void List(string name, List<LogEntry> list) => sb.AppendLine($"{name}: " +
            string.Join(" ", list.Where(e => JournalIndex.IsCurrent(e)).Select(e => $"{e.Ordering}={e.Pid.Id}/{e.SequenceNr}@{e.Position}")));
        List("all", index.AllEvents);
        foreach (var (tag, list) in index.TagLists.OrderBy(t => t.Key, StringComparer.Ordinal)) List("tag " + tag, list);
        return sb.ToString();
    });

    /// <summary>What users see: every id's replay and highest, and the tag and all-events queries with their orderings.</summary>
    private static string Queries(JournalStore store)
    {
        var sb = new StringBuilder();
        foreach (var pid in store.PersistenceIdsFrom(0, int.MaxValue).Order(StringComparer.Ordinal))
        {
            var replayed = new List<string>();
            store.Replay(pid, 1, long.MaxValue, long.MaxValue, p => replayed.Add($"{p.SequenceNr}:{p.Payload}"), CancellationToken.None);
            sb.AppendLine($"{pid} highest {store.HighestSequenceNr(pid)}: {string.Join(" ", replayed)}");
        }
        foreach (var tag in new string?[] { null, "even", "r0", "r1", "r2" })
        {
            var events = store.ReadAfterOrdering(tag, 0, long.MaxValue, int.MaxValue, out _);
            sb.AppendLine($"{tag ?? "all"}: {string.Join(" ", events.Select(e => $"{e.Ordering}={e.Record.PersistenceId}/{e.Record.SequenceNr}:{e.Event}"))}");
        }
        return sb.ToString();
    }

    /// <summary>Opens with the checkpoint, then with checkpoints off (a full rebuild), and asserts both are the same.</summary>
    private void AssertCheckpointOpenEqualsRebuild(bool expectCheckpointUsed, bool compareDeadBytes = true)
    {
        string withCheckpoint, withCheckpointQueries;
        using (var store = Open())
        {
            Assert.Equal(expectCheckpointUsed, store.IndexedFrom > 0);
            withCheckpoint = Describe(store, compareDeadBytes);
            withCheckpointQueries = Queries(store);
        }
        var saved = File.Exists(CheckpointPath) ? File.ReadAllBytes(CheckpointPath) : null;
        using (var store = Open(checkpoints: false))
        {
            Assert.Equal(0, store.IndexedFrom);
            Assert.Equal(withCheckpoint, Describe(store, compareDeadBytes));
            Assert.Equal(withCheckpointQueries, Queries(store));
        }
        if (saved is not null) File.WriteAllBytes(CheckpointPath, saved);
        Output.WriteLine(withCheckpoint);
    }

    [Fact]
    public async Task A_clean_shutdown_writes_a_checkpoint_and_open_from_it_equals_a_full_rebuild()
    {
        using (var store = Open())
        {
            await History(store, 0);
            Assert.False(File.Exists(CheckpointPath));
        }
        Assert.True(File.Exists(CheckpointPath));
        AssertCheckpointOpenEqualsRebuild(expectCheckpointUsed: true);
        using (var store = Open())
        {
            await History(store, 1); // a second incarnation continues from the checkpointed index
        }
        AssertCheckpointOpenEqualsRebuild(expectCheckpointUsed: true);
    }

    [Fact]
    public async Task After_a_crash_open_reads_the_checkpoint_and_only_the_log_written_after_it()
    {
        byte[] older;
        long covered;
        using (var store = Open())
        {
            await History(store, 0);
            Assert.True(store.WriteCheckpoint());
            older = File.ReadAllBytes(CheckpointPath);
            covered = IndexCheckpoint.ReadHeader(older, out _)!.CoveredPosition;
            await History(store, 1);
            await store.DeleteMessagesToAsync("pid-0", 5); // deletes events the older checkpoint holds
        }
        // The process died before the shutdown checkpoint: only the older one is on disk.
        File.WriteAllBytes(CheckpointPath, older);
        using (var store = Open())
            Assert.Equal(covered, store.IndexedFrom);
        File.WriteAllBytes(CheckpointPath, older);
        AssertCheckpointOpenEqualsRebuild(expectCheckpointUsed: true);
    }

    [Theory]
    [InlineData("flip-directory")]
    [InlineData("truncate")]
    [InlineData("empty")]
    public async Task A_damaged_or_truncated_checkpoint_is_refused_with_a_warning_and_the_index_rebuilt(string damage)
    {
        string expected;
        using (var store = Open())
        {
            await History(store, 0);
            expected = Describe(store);
        }
        var bytes = File.ReadAllBytes(CheckpointPath);
        bytes = damage switch
        {
            "flip-directory" => Flip(bytes, IndexCheckpoint.DirectoryStart + 3),
            "truncate" => bytes[..^7],
            _ => [],
        };
        File.WriteAllBytes(CheckpointPath, bytes);
        AssertRefused(expected, damage switch
        {
            "empty" => "shorter than a checkpoint",
            "truncate" => "outside the file",
            _ => "checksum mismatch",
        });
    }

    [Fact]
    public async Task A_damaged_section_is_found_when_first_read_and_rebuilt_from_the_log_never_trusted()
    {
        string expected, expectedQueries;
        using (var store = Open())
        {
            await History(store, 0);
            expected = Describe(store);
            expectedQueries = Queries(store);
        }
        var bytes = File.ReadAllBytes(CheckpointPath);
        var header = IndexCheckpoint.ReadHeader(bytes, out _)!;
        // The first section holds the first id's events; the last one a tag's ordering list.
        Flip(bytes, (int)header.SectionsStart);
        Flip(bytes, bytes.Length - 2);
        File.WriteAllBytes(CheckpointPath, bytes);
        EventFilter.Warning(contains: "is damaged").Expect(2, () =>
        {
            using var store = Open();
            Assert.True(store.IndexedFrom > 0, "the directory is intact: the checkpoint is used");
            Assert.Equal(expectedQueries, Queries(store));
            Assert.Equal(expected, Describe(store));
        });
        // The shutdown wrote a checkpoint of the rebuilt sections: intact again.
        EventFilter.Warning(contains: "is damaged").Expect(0, () => AssertCheckpointOpenEqualsRebuild(expectCheckpointUsed: true));
    }

    [Fact]
    public async Task Open_reads_only_the_directory_and_an_id_s_events_when_it_is_first_used()
    {
        using (var store = Open())
        {
            await History(store, 0);
            await History(store, 1);
        }
        using (var store = Open())
        {
            Assert.True(store.IndexedFrom > 0);
            store.InspectIndex((index, _) =>
            {
                Assert.All(index.ReportedPids, pid => Assert.NotNull(pid.Unloaded));
                Assert.Equal((true, 0), (index.ListParts(null).Prefix is not null, index.ListParts(null).Loaded!.Count));
                return 0;
            });
            Assert.Equal(store.HighestSequenceNr("pid-0"), store.ReadEventsOf("pid-0", 0, long.MaxValue, int.MaxValue, out _).Count);
            store.InspectIndex((index, _) =>
            {
                Assert.Equal(["pid-0"], index.ReportedPids.Where(p => p.Unloaded is null).Select(p => p.Id));
                Assert.NotNull(index.ListParts(null).Prefix);
                return 0;
            });
            // A second incarnation writing to a loaded id and a new one; the next open sees both.
            await Write(store, "pid-0", store.HighestSequenceNr("pid-0") + 1, store.HighestSequenceNr("pid-0") + 3, "even");
            await Write(store, "pid-new", 1, 2, "even");
        }
        AssertCheckpointOpenEqualsRebuild(expectCheckpointUsed: true);
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        bytes[at] ^= 0x40;
        return bytes;
    }

    /// <summary>Opens expecting the checkpoint to be refused with a warning naming why; the rebuilt index must be the full one.</summary>
    private void AssertRefused(string expectedIndex, string reason)
    {
        EventFilter.Warning(contains: reason).ExpectOne(() =>
        {
            using var store = Open();
            Assert.Equal(0, store.IndexedFrom);
            Assert.Equal(expectedIndex, Describe(store));
            Assert.False(File.Exists(CheckpointPath), "the refused checkpoint must be removed at once");
        });
        Assert.True(File.Exists(CheckpointPath), "the shutdown writes a fresh checkpoint");
        AssertCheckpointOpenEqualsRebuild(expectCheckpointUsed: true);
    }

    [Fact]
    public async Task A_checkpoint_of_another_log_is_refused()
    {
        using (var store = Open()) await History(store, 0);
        var foreign = File.ReadAllBytes(CheckpointPath);
        Directory.Delete(LogDir, recursive: true);
        string expected;
        using (var store = Open(checkpoints: false))
        {
            await History(store, 0);
            expected = Describe(store);
        }
        File.WriteAllBytes(CheckpointPath, foreign);
        AssertRefused(expected, "belongs to log");
    }

    [Fact]
    public async Task A_checkpoint_newer_than_the_log_is_refused_and_so_is_one_whose_log_was_rewritten_past_it()
    {
        using (var store = Open()) await History(store, 0);
        var earlierLog = CopyLog();
        using (var store = Open()) await History(store, 1);
        var newer = File.ReadAllBytes(CheckpointPath);

        // The log went back to an earlier state (e.g. restored from a backup): the checkpoint covers more than it holds.
        RestoreLog(earlierLog);
        File.WriteAllBytes(CheckpointPath, newer);
        string expected;
        using (var store = Open(checkpoints: false)) expected = Describe(store);
        AssertRefused(expected, "stale");

        // Same, then other events written past the checkpoint's position: its anchor record no longer matches.
        RestoreLog(earlierLog);
        using (var store = Open(checkpoints: false))
        {
            for (var i = 0; i < 6; i++) await Write(store, $"other-{i}", 1, 40);
            expected = Describe(store);
            Assert.True(store.Status().DurableEnd > IndexCheckpoint.ReadHeader(newer, out _)!.CoveredPosition);
        }
        File.WriteAllBytes(CheckpointPath, newer);
        AssertRefused(expected, "anchor position");
    }

    private Dictionary<string, byte[]> CopyLog() =>
        Directory.GetFiles(LogDir, "*.wal").ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    private void RestoreLog(Dictionary<string, byte[]> log)
    {
        foreach (var file in Directory.GetFiles(LogDir, "*.wal")) File.Delete(file);
        foreach (var (name, bytes) in log) File.WriteAllBytes(Path.Combine(LogDir, name), bytes);
    }

    [Fact]
    public async Task Compaction_then_restart_from_a_checkpoint_taken_before_or_after_it_equals_a_full_rebuild()
    {
        byte[] beforeCompaction;
        using (var store = Open())
        {
            await History(store, 0);
            await History(store, 1);
            Assert.True(store.WriteCheckpoint());
            beforeCompaction = File.ReadAllBytes(CheckpointPath);
            // Deletes after the checkpoint, of events it holds; then compaction removes those events' records.
            await store.DeleteMessagesToAsync("pid-0", 15);
            await store.DeleteMessagesToAsync("pid-4", long.MaxValue);
            await History(store, 2);
            var outcome = await store.CompactAsync(force: true);
            Assert.True(outcome.Result!.RecordsRemoved > 0, "compaction removed nothing: the test would prove nothing");
        }
        // The checkpoint written after compaction.
        AssertCheckpointOpenEqualsRebuild(expectCheckpointUsed: true);
        // A crash between compaction and the next checkpoint: the one from before compaction is on disk. Its dead-byte
        // count is an overestimate (compaction reclaimed some), everything else must be exact.
        File.WriteAllBytes(CheckpointPath, beforeCompaction);
        AssertCheckpointOpenEqualsRebuild(expectCheckpointUsed: true, compareDeadBytes: false);
    }

    [Fact]
    public async Task A_checkpoint_is_written_once_the_log_grew_by_the_configured_amount()
    {
        var settings = Settings() with { IndexCheckpointEvery = 4096 };
        using var store = JournalStore.Open((ExtendedActorSystem)Sys, settings);
        for (var i = 0; !File.Exists(CheckpointPath); i++)
        {
            Assert.True(i < 1000, "no checkpoint after 1000 writes");
            await Write(store, "grow", i + 1, i + 1);
        }
        AwaitCondition(() => IndexCheckpoint.ReadHeader(File.ReadAllBytes(CheckpointPath), out _) is not null, TimeSpan.FromSeconds(30));
    }
}
