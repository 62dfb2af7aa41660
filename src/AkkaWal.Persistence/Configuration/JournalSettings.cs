using AkkaWal.Storage;
using Akka.Configuration;

namespace AkkaWal.Persistence.Configuration;

/// <summary>The validated settings of one journal plugin section (`akka.persistence.journal.wal` by default).</summary>
public sealed record JournalSettings
{
    /// <summary>The section of reference.conf that holds every journal key with its default.</summary>
    public const string ReferenceSection = "akka.persistence.journal.wal";

    private static readonly Dictionary<string, DurabilityMode> DurabilityModes = new()
    {
        ["always"] = DurabilityMode.Always, ["interval"] = DurabilityMode.Interval, ["none"] = DurabilityMode.None,
    };

    private static readonly Dictionary<string, bool> OnOff = new()
    {
        ["on"] = true, ["off"] = false, ["true"] = true, ["false"] = false, ["yes"] = true, ["no"] = false,
    };

    private static readonly Dictionary<string, RecoveryMode> RecoveryModes = new()
    {
        ["tolerate-corrupted-tail"] = RecoveryMode.TolerateCorruptedTail,
        ["absolute-consistency"] = RecoveryMode.AbsoluteConsistency,
        ["point-in-time"] = RecoveryMode.PointInTime,
        ["skip-corrupted"] = RecoveryMode.SkipCorrupted,
    };

    /// <summary>The plugin's HOCON path (its id).</summary>
    public required string PluginId { get; init; }
    /// <summary>The log directory.</summary>
    public required string Directory { get; init; }
    /// <summary>Bytes of one segment file (<see cref="WalOptions.SegmentSize"/>).</summary>
    public required long SegmentSize { get; init; }
    /// <summary>When a write is acknowledged (<see cref="WalOptions.Durability"/>).</summary>
    public required DurabilityMode Durability { get; init; }
    /// <summary>Period of the fdatasync in interval durability.</summary>
    public required TimeSpan FsyncInterval { get; init; }
    /// <summary>Cap of one group-commit write.</summary>
    public required int MaxGroupBytes { get; init; }
    /// <summary>Largest record accepted; larger writes are rejected.</summary>
    public required int MaxRecordSize { get; init; }
    /// <summary>Bound of the bytes queued for the writer.</summary>
    public required long MaxQueuedBytes { get; init; }
    /// <summary>What open does with damage.</summary>
    public required RecoveryMode RecoveryMode { get; init; }
    /// <summary>Open reads every sealed segment's records instead of trusting its seal.</summary>
    public required bool VerifySealedSegmentsOnOpen { get; init; }
    /// <summary>How long a replay may take before it fails.</summary>
    public required TimeSpan ReplayTimeout { get; init; }
    /// <summary>Null when periodic compaction is off.</summary>
    public required TimeSpan? CompactionInterval { get; init; }
    /// <summary>Dead bytes in sealed segments above which periodic compaction runs.</summary>
    public required long CompactionDeadBytesThreshold { get; init; }
    /// <summary>Whether the index is checkpointed (and open loads the checkpoint instead of reading the whole log).</summary>
    public required bool IndexCheckpoints { get; init; }
    /// <summary>Log growth (bytes) after which the next index checkpoint is written.</summary>
    public required long IndexCheckpointEvery { get; init; }

    /// <summary>The engine's file-system seam (fault injection in tests); null = the real file system.</summary>
    internal IWalFileSystem? FileSystem { get; init; }

    /// <summary>Parses and validates a plugin section and creates its directory; throws one
    /// <see cref="WalConfigurationException"/> naming every bad key.</summary>
    public static JournalSettings Create(Config section, string pluginId)
    {
        var (settings, reader) = Read(section, pluginId, createDirectory: true);
        reader.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Every problem of a plugin section (each naming its full key), without side effects: what a host
    /// validates before it starts. Empty when <see cref="Create"/> would succeed (directory permissions aside).</summary>
    public static IReadOnlyList<string> Check(Config section, string pluginId) =>
        Read(section, pluginId, createDirectory: false).Reader.Problems;

    private static (JournalSettings Settings, PluginConfigReader Reader) Read(Config section, string pluginId, bool createDirectory)
    {
        var r = new PluginConfigReader(section, pluginId, PluginConfigReader.PluginReference(ReferenceSection));
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
            VerifySealedSegmentsOnOpen = r.OneOf("verify-sealed-segments-on-open", OnOff),
            ReplayTimeout = r.PositiveDuration("replay-timeout"),
            CompactionInterval = r.OptionalDuration("compaction.interval"),
            CompactionDeadBytesThreshold = r.ByteSize("compaction.dead-bytes-threshold", 0, long.MaxValue),
            IndexCheckpoints = r.OneOf("index-checkpoint.enabled", OnOff),
            IndexCheckpointEvery = r.PositiveByteSize("index-checkpoint.every"),
            Directory = "",
        };
        if (!r.HasProblem("segment-size") && !r.HasProblem("max-record-size") && settings.MaxRecordSize > settings.SegmentSize)
            r.Problem($"{r.Key("max-record-size")} ({settings.MaxRecordSize} bytes) must not exceed {r.Key("segment-size")} ({settings.SegmentSize} bytes)");
        CheckEngineRules(settings with { Directory = "." }, r);
        // Last, so a bad value elsewhere does not leave a new empty directory behind.
        settings = settings with { Directory = r.Directory("directory", create: createDirectory && r.Problems.Count == 0) };
        return (settings, r);
    }

    /// <summary>The engine's own rules (WalOptions.Validate, the one place they live), each reported under its key.
    /// Validate stops at the first problem, so the option it names is put back to the reference value and the check
    /// runs again, until every engine problem is found.</summary>
    private static void CheckEngineRules(JournalSettings settings, PluginConfigReader r)
    {
        var reference = new Lazy<JournalSettings>(() => Read(Config.Empty, settings.PluginId, createDirectory: false).Settings);
        for (var attempt = 0; attempt <= EngineOptionKeys.Count; attempt++)
        {
            try
            {
                settings.ToWalOptions().Validate();
                return;
            }
            catch (ArgumentException e)
            {
                var option = e.ParamName is { } p && EngineOptionKeys.ContainsKey(p) ? p
                    : EngineOptionKeys.Keys.FirstOrDefault(o => e.Message.Contains(o, StringComparison.Ordinal));
                var key = option is null ? settings.PluginId : r.Key(EngineOptionKeys[option]);
                // A key already reported (a bad value read as a placeholder, the record-fits-segment rule) is not reported twice.
                if (option is null || !r.HasProblem(EngineOptionKeys[option]))
                    r.Problem($"{key} is invalid: {e.Message}");
                JournalSettings? reset = option switch
                {
                    nameof(WalOptions.SegmentSize) => settings with { SegmentSize = reference.Value.SegmentSize },
                    nameof(WalOptions.MaxRecordSize) => settings with { MaxRecordSize = reference.Value.MaxRecordSize },
                    nameof(WalOptions.FsyncInterval) => settings with { FsyncInterval = reference.Value.FsyncInterval },
                    nameof(WalOptions.MaxGroupBytes) => settings with { MaxGroupBytes = reference.Value.MaxGroupBytes },
                    _ => null,
                };
                if (reset is null || reset == settings) return;
                settings = reset;
            }
        }
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

    /// <summary>The engine options these settings open the journal's log with.</summary>
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
        VerifySealedSegmentsOnOpen = VerifySealedSegmentsOnOpen,
        FileSystem = FileSystem ?? PhysicalFileSystem.Instance,
    };
}
