using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AkkaWal.Persistence.Hosting;

/// <summary>
/// Health of one AkkaWal journal, registered through the journal builder (<see cref="WalHealthCheckExtensions.WithWalHealthCheck"/>):
/// the journal actor answers Akka.Persistence's health check (so its writer is running) and reports its own state (an
/// AkkaWal journal reports Unhealthy once an fsync failed: it stops writing), and the disk holding the journal's
/// directory has at least the given free space (else Degraded: writes will fail soon).
/// </summary>
public sealed class WalJournalHealthCheck : IAkkaHealthCheck
{
    private static readonly TimeSpan JournalAnswerTimeout = TimeSpan.FromSeconds(5);
    private readonly string _journalPluginId;
    private readonly long _minFreeDiskSpace;

    /// <param name="journalPluginId">The journal's full plugin id, such as <c>akka.persistence.journal.wal</c>.</param>
    /// <param name="minFreeDiskSpace">Free bytes below which the check reports Degraded (0 turns the disk check off).</param>
    public WalJournalHealthCheck(string journalPluginId, long minFreeDiskSpace)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minFreeDiskSpace);
        _journalPluginId = journalPluginId;
        _minFreeDiskSpace = minFreeDiskSpace;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(AkkaHealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var system = context.ActorSystem;
        var data = new Dictionary<string, object> { ["journal"] = _journalPluginId };
        if (system.WhenTerminated.IsCompleted)
            return HealthCheckResult.Unhealthy("the actor system is terminated", data: data);

        Akka.Persistence.PersistenceHealthCheckResult journal;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(JournalAnswerTimeout);
            try
            {
                journal = await Akka.Persistence.Persistence.Instance.Apply(system).CheckJournalHealthAsync(_journalPluginId, timeout.Token);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy($"journal {_journalPluginId} did not answer within {JournalAnswerTimeout.TotalSeconds:F0} s", e, data);
            }
        }
        foreach (var (key, value) in journal.Data ?? new Dictionary<string, object>())
            data[key] = value;
        data["journalStatus"] = journal.Status.ToString();
        if (journal.Status == Akka.Persistence.PersistenceHealthStatus.Unhealthy)
            return HealthCheckResult.Unhealthy(journal.Description ?? $"journal {_journalPluginId} is unhealthy", journal.Exception, data);

        var disk = CheckDisk(system.Settings.Config, data);
        if (journal.Status == Akka.Persistence.PersistenceHealthStatus.Degraded)
            return HealthCheckResult.Degraded(journal.Description ?? $"journal {_journalPluginId} is degraded", journal.Exception, data);
        return disk ?? HealthCheckResult.Healthy($"journal {_journalPluginId} is running", data);
    }

    private HealthCheckResult? CheckDisk(Akka.Configuration.Config config, Dictionary<string, object> data)
    {
        var directoryKey = _journalPluginId + ".directory";
        if (_minFreeDiskSpace == 0 || !config.HasPath(directoryKey))
            return null;
        var directory = Path.GetFullPath(config.GetString(directoryKey));
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
        data["minFreeBytes"] = _minFreeDiskSpace;
        return free < _minFreeDiskSpace
            ? HealthCheckResult.Degraded($"{free} bytes free on the disk of {directory}, below the minimum of {_minFreeDiskSpace} bytes", data: data)
            : null;
    }
}
