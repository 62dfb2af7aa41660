using AkkaWal.Storage;

namespace AkkaWal.Persistence;

/// <summary>
/// What a host needs to know about an open AkkaWal journal: what opening it found and did (<paramref name="Recovery"/>),
/// how far the log is durable, and whether the log failed (after a failed fsync it stops writing for good).
/// </summary>
public sealed record WalJournalStatus(
    string PluginId,
    string Directory,
    RecoveryReport Recovery,
    long DurableEnd,
    int Segments,
    Exception? Failure);
