using Akka.Actor;
using AkkaWal.Persistence;
using AkkaWal.Storage;
using Serilog;

namespace AkkaWal.Hosting.Persistence;

/// <summary>
/// Opens an AkkaWal journal eagerly at start-up instead of at the first persistent actor's recovery, so that what
/// recovery found is logged as structured events (how long, how much, each repair with file and offset) and a log
/// that cannot be opened (corruption the recovery mode refuses, a lock held by another process) stops start-up with
/// one clear event, instead of persistent actors failing in a loop.
/// </summary>
public static class WalJournalStartup
{
    public static WalJournalStatus OpenAndLog(ActorSystem system, string journalPluginId, ILogger? log = null)
    {
        log = (log ?? Log.Logger).ForContext("SourceContext", "AkkaWal.Recovery");
        WalJournalStatus status;
        try
        {
            status = WalPersistence.Get(system).JournalStatus(journalPluginId);
        }
        catch (WalCorruptionException e)
        {
            log.Fatal(e, "Corruption found opening journal {JournalPluginId}: {File} at offset {Offset}: {Reason}. " +
                         "See docs/OPERATIONS.md (recovery modes, verify)", journalPluginId, e.FilePath, e.FileOffset, e.Reason);
            throw;
        }
        catch (WalLockedException e)
        {
            log.Fatal(e, "Journal {JournalPluginId} directory {Directory} is locked by process {OwnerPid}", journalPluginId, e.Directory, e.OwnerProcessId);
            throw;
        }
        var recovery = status.Recovery;
        log.Information("Journal {JournalPluginId} opened in {RecoveryMs:F1} ms ({RecoveryMode}): {Segments} segments, {Records} records, " +
                        "{BytesScanned} bytes scanned, durable end {DurableEnd}, {Repairs} repairs",
            journalPluginId, recovery.Elapsed.TotalMilliseconds, recovery.Mode, recovery.SegmentsScanned, recovery.RecordsFound,
            recovery.BytesScanned, recovery.DurableEnd, recovery.Events.Count);
        foreach (var repair in recovery.Events)
            log.Warning("Recovery of {JournalPluginId}: {RecoveryEvent} in {File} at offset {Offset} ({Length} bytes): {Detail}",
                journalPluginId, repair.Kind, repair.FilePath, repair.FileOffset, repair.Length, repair.Detail);
        return status;
    }
}
