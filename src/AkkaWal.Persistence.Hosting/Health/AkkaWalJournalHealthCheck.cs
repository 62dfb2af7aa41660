using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AkkaWal.Persistence.Hosting;

/// <summary>
/// Health of one journal: the journal actor answers a health check (so its writer is running) and reports its own
/// state (an AkkaWal journal reports Unhealthy once an fsync failed: it stops writing), and the disk holding the
/// journal's directory has at least <c>akkawal.host.min-free-disk-space</c> free (else Degraded: writes will fail soon).
/// </summary>
public sealed class AkkaWalJournalHealthCheck(ActorSystem system, string journalPluginId) : IHealthCheck
{
    private static readonly TimeSpan JournalAnswerTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["journal"] = journalPluginId };
        if (system.WhenTerminated.IsCompleted)
            return HealthCheckResult.Unhealthy("the actor system is terminated", data: data);

        Akka.Persistence.PersistenceHealthCheckResult journal;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(JournalAnswerTimeout);
            try
            {
                journal = await Akka.Persistence.Persistence.Instance.Apply(system).CheckJournalHealthAsync(journalPluginId, timeout.Token);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy($"journal {journalPluginId} did not answer within {JournalAnswerTimeout.TotalSeconds:F0} s", e, data);
            }
        }
        foreach (var (key, value) in journal.Data ?? new Dictionary<string, object>())
            data[key] = value;
        data["journalStatus"] = journal.Status.ToString();
        if (journal.Status == Akka.Persistence.PersistenceHealthStatus.Unhealthy)
            return HealthCheckResult.Unhealthy(journal.Description ?? $"journal {journalPluginId} is unhealthy", journal.Exception, data);

        var disk = CheckDisk(data);
        if (journal.Status == Akka.Persistence.PersistenceHealthStatus.Degraded)
            return HealthCheckResult.Degraded(journal.Description ?? $"journal {journalPluginId} is degraded", journal.Exception, data);
        return disk ?? HealthCheckResult.Healthy($"journal {journalPluginId} is running", data);
    }

    private HealthCheckResult? CheckDisk(Dictionary<string, object> data)
    {
        var config = system.Settings.Config;
        var directoryKey = journalPluginId + ".directory";
        if (!config.HasPath(directoryKey))
            return null; // not a file-based journal
        var directory = Path.GetFullPath(config.GetString(directoryKey));
        var minFree = config.HasPath("akkawal.host.min-free-disk-space") ? config.GetByteSize("akkawal.host.min-free-disk-space") ?? 0 : 0;
        var existing = directory;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
            existing = parent;
        long free;
        try
        {
            free = new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return HealthCheckResult.Degraded($"free space of {directory} cannot be read", e, data);
        }
        data["directory"] = directory;
        data["freeBytes"] = free;
        data["minFreeBytes"] = minFree;
        return free < minFree
            ? HealthCheckResult.Degraded($"{free} bytes free on the disk of {directory}, below akkawal.host.min-free-disk-space ({minFree})", data: data)
            : null;
    }
}
