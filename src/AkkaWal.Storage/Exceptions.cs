namespace AkkaWal.Storage;

/// <summary>Base of the engine's own errors.</summary>
public class WalException : Exception
{
    /// <summary>An engine error with <paramref name="message"/>.</summary>
    public WalException(string message) : base(message) { }
    /// <summary>An engine error with <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public WalException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The directory is already open by a log (in this or another process).</summary>
public sealed class WalLockedException : WalException
{
    /// <summary>The log in <paramref name="directory"/> is held by <paramref name="ownerProcessId"/> (null when unknown); <paramref name="inner"/> is the lock failure.</summary>
    public WalLockedException(string directory, int? ownerProcessId, Exception? inner = null)
        : base($"The write-ahead log in '{directory}' is already open" +
               (ownerProcessId is { } pid ? $" by process {pid}" + (pid == Environment.ProcessId ? " (this process)" : "") : "") +
               "; only one owner may open it at a time.", inner)
    {
        Directory = directory;
        OwnerProcessId = ownerProcessId;
    }

    /// <summary>The log directory that is locked.</summary>
    public string Directory { get; }
    /// <summary>The process holding the lock, when the lock file names it.</summary>
    public int? OwnerProcessId { get; }
}

/// <summary>Damaged data that the recovery mode does not allow to repair.</summary>
public sealed class WalCorruptionException : WalException
{
    /// <summary>Damage in <paramref name="filePath"/> at <paramref name="fileOffset"/>, described by <paramref name="reason"/>.</summary>
    public WalCorruptionException(string filePath, long fileOffset, string reason)
        : base($"Corruption in '{filePath}' at byte offset {fileOffset}: {reason}")
    {
        FilePath = filePath;
        FileOffset = fileOffset;
        Reason = reason;
    }

    /// <summary>The damaged segment file.</summary>
    public string FilePath { get; }
    /// <summary>The byte offset of the damage in <see cref="FilePath"/>.</summary>
    public long FileOffset { get; }
    /// <summary>What is wrong at that offset.</summary>
    public string Reason { get; }
}

/// <summary>The log stopped writing after a write or fsync error; reopen to recover.</summary>
public sealed class WalFailedException : WalException
{
    /// <summary>The log failed with <paramref name="message"/>; <paramref name="inner"/> is the I/O error that stopped it.</summary>
    public WalFailedException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A payload (or batch) larger than the configured maximum. No other append is affected.</summary>
public sealed class RecordTooLargeException : ArgumentException
{
    /// <summary><paramref name="what"/> of <paramref name="size"/> bytes is over <paramref name="limit"/> bytes.</summary>
    public RecordTooLargeException(long size, long limit, string what)
        : base($"{what} of {size} bytes exceeds the maximum of {limit} bytes (WalOptions.MaxRecordSize / segment and group limits).")
    {
        Size = size;
        Limit = limit;
    }

    /// <summary>The rejected size in bytes.</summary>
    public long Size { get; }
    /// <summary>The largest size allowed, in bytes.</summary>
    public long Limit { get; }
}
