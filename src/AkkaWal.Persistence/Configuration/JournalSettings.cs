using AkkaWal.Storage;
using Akka.Configuration;

namespace AkkaWal.Persistence.Configuration;

/// <summary>The validated settings of one journal plugin section (`akka.persistence.journal.wal` by default).</summary>
public sealed record JournalSettings
{
    internal const string ReferenceSection = "akka.persistence.journal.wal";

    private static readonly Dictionary<string, DurabilityMode> DurabilityModes = new()
    {
        ["always"] = DurabilityMode.Always, ["interval"] = DurabilityMode.Interval, ["none"] = DurabilityMode.None,
    };

    private static readonly Dictionary<string, RecoveryMode> RecoveryModes = new()
    {
        ["tolerate-corrupted-tail"] = RecoveryMode.TolerateCorruptedTail,
        ["absolute-consistency"] = RecoveryMode.AbsoluteConsistency,
        ["point-in-time"] = RecoveryMode.PointInTime,
        ["skip-corrupted"] = RecoveryMode.SkipCorrupted,
    };

    public required string PluginId { get; init; }
    public required string Directory { get; init; }
    public required long SegmentSize { get; init; }
    public required DurabilityMode Durability { get; init; }
    public required TimeSpan FsyncInterval { get; init; }
    public required int MaxGroupBytes { get; init; }
    public required int MaxRecordSize { get; init; }
    public required long MaxQueuedBytes { get; init; }
    public required RecoveryMode RecoveryMode { get; init; }
    public required TimeSpan ReplayTimeout { get; init; }
    /// <summary>Null when periodic compaction is off.</summary>
    public required TimeSpan? CompactionInterval { get; init; }
    public required long CompactionDeadBytesThreshold { get; init; }
    /// <summary>Whether the index is checkpointed (and open loads the checkpoint instead of reading the whole log).</summary>
    public required bool IndexCheckpoints { get; init; }
    /// <summary>Log growth (bytes) after which the next index checkpoint is written.</summary>
    public required long IndexCheckpointEvery { get; init; }

    /// <summary>The engine's file-system seam (fault injection in tests); null = the real file system.</summary>
    internal IWalFileSystem? FileSystem { get; init; }

    /// <summary>Parses and validates a plugin section; throws ConfigurationException naming the key on a bad value.</summary>
    public static JournalSettings Create(Config section, string pluginId)
    {
        var r = new PluginConfigReader(section, pluginId, ReferenceSection);
        var settings = new JournalSettings
        {
            PluginId = pluginId,
            SegmentSize = r.ByteSize("segment-size", WalOptions.MinSegmentSize, long.MaxValue),
            Durability = r.OneOf("durability", DurabilityModes),
            FsyncInterval = r.PositiveDuration("fsync-interval"),
            MaxGroupBytes = (int)r.PositiveByteSize("max-group-bytes", int.MaxValue),
            MaxRecordSize = (int)r.PositiveByteSize("max-record-size", int.MaxValue),
            MaxQueuedBytes = r.PositiveByteSize("max-queued-bytes"),
            RecoveryMode = r.OneOf("recovery-mode", RecoveryModes),
            ReplayTimeout = r.PositiveDuration("replay-timeout"),
            CompactionInterval = r.OptionalDuration("compaction.interval"),
            CompactionDeadBytesThreshold = r.ByteSize("compaction.dead-bytes-threshold", 0, long.MaxValue),
            IndexCheckpoints = r.Bool("index-checkpoint.enabled"),
            IndexCheckpointEvery = r.PositiveByteSize("index-checkpoint.every"),
            // Last, so a bad value elsewhere does not leave a new empty directory behind.
            Directory = r.Directory("directory"),
        };
        if (settings.MaxRecordSize > settings.SegmentSize)
            throw new ConfigurationException(
                $"{r.Key("max-record-size")} ({settings.MaxRecordSize} bytes) must not exceed {r.Key("segment-size")} ({settings.SegmentSize} bytes)");
        try
        {
            settings.ToWalOptions().Validate();
        }
        catch (ArgumentException e)
        {
            // The engine names its option; say which key that is.
            var key = e.ParamName is { } p && EngineOptionKeys.TryGetValue(p, out var k) ? k
                : EngineOptionKeys.FirstOrDefault(o => e.Message.Contains(o.Key, StringComparison.Ordinal)).Value;
            throw new ConfigurationException($"{(key is null ? pluginId : r.Key(key))}: {e.Message}", e);
        }
        return settings;
    }

    private static readonly Dictionary<string, string> EngineOptionKeys = new()
    {
        [nameof(WalOptions.SegmentSize)] = "segment-size",
        [nameof(WalOptions.MaxRecordSize)] = "max-record-size",
        [nameof(WalOptions.FsyncInterval)] = "fsync-interval",
        [nameof(WalOptions.MaxGroupBytes)] = "max-group-bytes",
        [nameof(WalOptions.MaxQueuedBytes)] = "max-queued-bytes",
        [nameof(WalOptions.Directory)] = "directory",
    };

    public WalOptions ToWalOptions() => new()
    {
        Directory = Directory,
        SegmentSize = SegmentSize,
        MaxRecordSize = MaxRecordSize,
        Durability = Durability,
        FsyncInterval = FsyncInterval,
        MaxGroupBytes = MaxGroupBytes,
        MaxQueuedBytes = MaxQueuedBytes,
        RecoveryMode = RecoveryMode,
        FileSystem = FileSystem ?? PhysicalFileSystem.Instance,
    };
}
