using Akka.Hosting;
using AkkaWal.Persistence.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AkkaWal.Hosting.Tests.Hosting;

public sealed class HealthCheckTests
{
    private static async Task<HealthReport> CheckAsync(AkkaHost host) =>
        await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    [Fact]
    public async Task A_running_wal_journal_is_healthy_and_reports_its_directory_and_free_space()
    {
        using var data = new TempDirectory();
        await using var host = await AkkaHost.StartAsync(b => b.WithWalPersistence(data.Path),
            s => s.AddHealthChecks().AddAkkaWalJournal());

        var report = await CheckAsync(host);

        var entry = report.Entries["akkawal-journal"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(Path.Combine(data.Path, "journal"), entry.Data["directory"]);
        Assert.True((long)entry.Data["freeBytes"] > 0);
        Assert.Equal("Healthy", entry.Data["journalStatus"]);
    }

    [Fact]
    public async Task Less_free_space_than_the_minimum_is_degraded_naming_the_key()
    {
        using var data = new TempDirectory();
        await using var host = await AkkaHost.StartAsync(
            b => b.WithWalPersistence(data.Path).AddHocon("akkawal.host.min-free-disk-space = 1000000TiB", HoconAddMode.Prepend),
            s => s.AddHealthChecks().AddAkkaWalJournal());

        var entry = (await CheckAsync(host)).Entries["akkawal-journal"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("akkawal.host.min-free-disk-space", entry.Description);
    }

    [Fact]
    public async Task A_journal_that_cannot_start_is_unhealthy()
    {
        await using var host = await AkkaHost.StartAsync(b => { },
            s => s.AddHealthChecks().AddAkkaWalJournal(journalPluginId: "akka.persistence.journal.missing"));

        var entry = (await CheckAsync(host)).Entries["akkawal-journal"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
    }
}
