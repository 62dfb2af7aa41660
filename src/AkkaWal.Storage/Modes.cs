namespace AkkaWal.Storage;

/// <summary>When an append is acknowledged.</summary>
public enum DurabilityMode
{
    /// <summary>After the group's fdatasync (default).</summary>
    Always,
    /// <summary>After the next periodic fdatasync (every <see cref="WalOptions.FsyncInterval"/>).</summary>
    Interval,
    /// <summary>After the write only: NOT durable, for tests.</summary>
    None,
}

/// <summary>What open does with damaged data (the RocksDB modes).</summary>
public enum RecoveryMode
{
    /// <summary>Truncate a torn tail; any other corruption fails the open (default).</summary>
    TolerateCorruptedTail,
    /// <summary>Any damage, even a torn tail, fails the open.</summary>
    AbsoluteConsistency,
    /// <summary>Stop at the first damage and drop everything after it (reported).</summary>
    PointInTime,
    /// <summary>Skip damaged ranges and keep every readable record (reported).</summary>
    SkipCorrupted,
}
