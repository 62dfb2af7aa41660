namespace AkkaWal.Storage;

/// <summary>Base of the engine's own errors.</summary>
public class WalException : Exception
{
    public WalException(string message) : base(message) { }
    public WalException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The directory is already open by a log (in this or another process).</summary>
public sealed class WalLockedException : WalException
{
    public WalLockedException(string directory, int? ownerProcessId, Exception? inner = null)
        : base($"The write-ahead log in '{directory}' is already open" +
               (ownerProcessId is { } pid ? $" by process {pid}" + (pid == Environment.ProcessId ? " (this process)" : "") : "") +
               "; only one owner may open it at a time.", inner)
    {
        Directory = directory;
        OwnerProcessId = ownerProcessId;
    }

    public string Directory { get; }
    public int? OwnerProcessId { get; }
}

/// <summary>Damaged data that the recovery mode does not allow to repair.</summary>
public sealed class WalCorruptionException : WalException
{
    public WalCorruptionException(string filePath, long fileOffset, string reason)
        : base($"Corruption in '{filePath}' at byte offset {fileOffset}: {reason}")
    {
        FilePath = filePath;
        FileOffset = fileOffset;
        Reason = reason;
    }

    public string FilePath { get; }
    public long FileOffset { get; }
    public string Reason { get; }
}

/// <summary>The log stopped writing after a write or fsync error; reopen to recover.</summary>
public sealed class WalFailedException : WalException
{
    public WalFailedException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A payload (or batch) larger than the configured maximum. No other append is affected.</summary>
public sealed class RecordTooLargeException : ArgumentException
{
    public RecordTooLargeException(long size, long limit, string what)
        : base($"{what} of {size} bytes exceeds the maximum of {limit} bytes (WalOptions.MaxRecordSize / segment and group limits).")
    {
        Size = size;
        Limit = limit;
    }

    public long Size { get; }
    public long Limit { get; }
}
