using Akka.Actor;
using AkkaWal.Persistence;
using AkkaWal.Storage;
using Microsoft.Extensions.Logging;

namespace AkkaWal.Persistence.Hosting;

/// <summary>
/// Opens an AkkaWal journal eagerly at start-up instead of at the first persistent actor's recovery, so that what
/// recovery found is logged as structured events (how long, how much, each repair with file and offset) and a log
/// that cannot be opened (corruption the recovery mode refuses, a lock held by another process) stops start-up with
/// one clear event, instead of persistent actors failing in a loop.
/// </summary>
public static class WalJournalStartup
{
    /// <summary>The logger category of the recovery report.</summary>
    public const string LogCategory = "AkkaWal.Recovery";

    /// <summary>Opens the journal <paramref name="journalPluginId"/> now and logs its recovery report to
    /// <paramref name="loggerFactory"/> (category <see cref="LogCategory"/>); throws what opening threw, after logging it.</summary>
    public static WalJournalStatus OpenAndLog(ActorSystem system, string journalPluginId, ILoggerFactory loggerFactory)
    {
        var log = loggerFactory.CreateLogger(LogCategory);
        WalJournalStatus status;
        try
        {
            status = WalPersistence.Get(system).JournalStatus(journalPluginId);
        }
        catch (WalCorruptionException e)
        {
            log.LogCritical(e, "Corruption found opening journal {JournalPluginId}: {File} at offset {Offset}: {Reason}. " +
                         "See docs/OPERATIONS.md (recovery modes, verify)", journalPluginId, e.FilePath, e.FileOffset, e.Reason);
            throw;
        }
        catch (WalLockedException e)
        {
            log.LogCritical(e, "Journal {JournalPluginId} directory {Directory} is locked by process {OwnerPid}", journalPluginId, e.Directory, e.OwnerProcessId);
            throw;
        }
        var recovery = status.Recovery;
        log.LogInformation("Journal {JournalPluginId} opened in {RecoveryMs:F1} ms ({RecoveryMode}): {Segments} segments, {Records} records, " +
                        "{BytesScanned} bytes scanned, durable end {DurableEnd}, {Repairs} repairs",
            journalPluginId, recovery.Elapsed.TotalMilliseconds, recovery.Mode, recovery.SegmentsScanned, recovery.RecordsFound,
            recovery.BytesScanned, recovery.DurableEnd, recovery.Events.Count);
        foreach (var repair in recovery.Events)
            log.LogWarning("Recovery of {JournalPluginId}: {RecoveryEvent} in {File} at offset {Offset} ({Length} bytes): {Detail}",
                journalPluginId, repair.Kind, repair.FilePath, repair.FileOffset, repair.Length, repair.Detail);
        return status;
    }
}
