using Akka.Hosting;
using AkkaWal.Persistence.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AkkaWal.Hosting.Tests;

/// <summary>The journal's health check, registered the Akka.Hosting way (through the journal builder) and run by
/// Microsoft.Extensions.Diagnostics.HealthChecks.</summary>
public sealed class HealthCheckTests
{
    private const string JournalId = "akka.persistence.journal.wal";

    private static async Task<HealthReport> CheckAsync(AkkaHost host) =>
        await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    private static Task<AkkaHost> StartAsync(string data, long minFreeDiskSpace = WalHealthCheckExtensions.DefaultMinFreeDiskSpace) =>
        AkkaHost.StartAsync(b => b.WithWalPersistence(data,
                journalBuilder: j => j.WithWalHealthCheck(minFreeDiskSpace),
                snapshotBuilder: s => s.WithHealthCheck()),
            s => s.AddHealthChecks());

    [Fact]
    public async Task A_running_wal_journal_is_healthy_and_reports_its_directory_and_free_space()
    {
        using var data = new TempDirectory();
        await using var host = await StartAsync(data.Path);

        var report = await CheckAsync(host);

        var entry = report.Entries[JournalId];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(AkkaWal.Persistence.WalDataDirectory.Journal(data.Path), entry.Data["directory"]);
        Assert.True((long)entry.Data["freeBytes"] > 0);
        Assert.Equal("Healthy", entry.Data["journalStatus"]);
    }

    [Fact]
    public async Task Checks_carry_the_tags_akka_hosting_gives_persistence_checks()
    {
        using var data = new TempDirectory();
        await using var host = await StartAsync(data.Path);

        var report = await CheckAsync(host);

        var journal = report.Entries[JournalId];
        Assert.Superset(new HashSet<string> { "akka", "persistence", "journal" }, journal.Tags.ToHashSet());
        Assert.Contains(report.Entries, e => e.Value.Tags.Contains("persistence") && e.Key != JournalId); // the snapshot store
    }

    [Fact]
    public async Task Less_free_space_than_the_minimum_is_degraded()
    {
        using var data = new TempDirectory();
        await using var host = await StartAsync(data.Path, minFreeDiskSpace: long.MaxValue);

        var entry = (await CheckAsync(host)).Entries[JournalId];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("below the minimum", entry.Description);
    }

    [Fact]
    public async Task A_journal_that_does_not_answer_is_unhealthy()
    {
        await using var host = await AkkaHost.StartAsync(
            b => b.WithHealthCheck("missing", new WalJournalHealthCheck("akka.persistence.journal.missing", 0)),
            s => s.AddHealthChecks());

        var entry = (await CheckAsync(host)).Entries["missing"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
    }
}
