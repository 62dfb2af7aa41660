using Akka.Hosting;
using Akka.Persistence.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AkkaWal.Persistence.Hosting;

/// <summary>The AkkaWal journal's health check, registered the Akka.Hosting way: through the journal builder.</summary>
public static class WalHealthCheckExtensions
{
    /// <summary>Default free-space floor of <see cref="WithWalHealthCheck"/>: 256 MiB.</summary>
    public const long DefaultMinFreeDiskSpace = 256L * 1024 * 1024;

    /// <summary>The tags Akka.Persistence.Hosting gives a journal's health check (Akka.Hosting adds <c>akka</c>).</summary>
    public static readonly IReadOnlyList<string> DefaultTags = ["akka", "persistence", "journal"];

    /// <summary>
    /// Adds <see cref="WalJournalHealthCheck"/> for this journal, in place of Akka.Persistence.Hosting's
    /// <c>WithHealthCheck()</c> (which it includes: the journal's own answer) plus the free space of the journal's disk.
    /// Akka.Hosting registers it with Microsoft.Extensions.Diagnostics.HealthChecks when the host starts.
    /// </summary>
    /// <param name="builder">The journal builder of <c>WithWalPersistence</c> (or of <c>WithJournal</c> with <see cref="WalJournalOptions"/>).</param>
    /// <param name="minFreeDiskSpace">Free bytes below which the check reports Degraded; 0 turns the disk check off.</param>
    /// <param name="unHealthyStatus">The status reported when the check fails with an exception.</param>
    /// <param name="name">The check's name; by default the journal's plugin id.</param>
    /// <param name="tags">The check's tags; by default <see cref="DefaultTags"/>.</param>
    public static AkkaPersistenceJournalBuilder WithWalHealthCheck(this AkkaPersistenceJournalBuilder builder,
        long minFreeDiskSpace = DefaultMinFreeDiskSpace,
        HealthStatus unHealthyStatus = HealthStatus.Unhealthy,
        string? name = null,
        IEnumerable<string>? tags = null)
    {
        var pluginId = builder.Options?.PluginId
                       ?? throw new InvalidOperationException("WithWalHealthCheck needs a journal builder created from journal options (WithWalPersistence or WithJournal(options, ...))");
        return builder.WithCustomHealthCheck(new AkkaHealthCheckRegistration(name ?? pluginId,
            new WalJournalHealthCheck(pluginId, minFreeDiskSpace), unHealthyStatus, (tags ?? DefaultTags).ToList()));
    }
}
