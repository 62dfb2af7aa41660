using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AkkaWal.Persistence.Hosting;

public static class HealthCheckBuilderExtensions
{
    /// <summary>Adds <see cref="AkkaWalJournalHealthCheck"/> for a journal plugin of the ActorSystem Akka.Hosting registered.</summary>
    public static IHealthChecksBuilder AddAkkaWalJournal(this IHealthChecksBuilder builder,
        string journalPluginId = "akka.persistence.journal.wal", string name = "akkawal-journal",
        HealthStatus failureStatus = HealthStatus.Unhealthy, IEnumerable<string>? tags = null) =>
        builder.Add(new HealthCheckRegistration(name,
            services => new AkkaWalJournalHealthCheck(services.GetRequiredService<ActorSystem>(), journalPluginId),
            failureStatus, tags ?? ["akkawal", "journal"]));
}
