using System.Net;
using AkkaWal.Cli.Tests.Hosting;
using Serilog.Events;

namespace AkkaWal.Cli.Tests.Serve;

/// <summary>A prepare the journal itself refuses (over max-record-size): 400, nothing stored, a structured warning.</summary>
public sealed class RejectedWriteTests
{
    [Fact]
    public async Task A_record_over_the_journal_limit_is_400_journal_rejected_logged_and_not_stored()
    {
        using var data = new TempDirectory();
        await using var host = await ServeTestHost.StartAsync(data.Path,
            "akka.persistence.journal.wal.max-record-size=2KiB", "akkawal.transactions.max-changes-bytes=65536");
        var id = "too-big-" + Guid.NewGuid().ToString("N")[..8];

        var response = await host.PrepareAsync(id, new { big = new string('z', 10_000) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("JournalRejected", (await ServeTestHost.JsonAsync(response)).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/transactions/{id}")).StatusCode);
        var warning = Assert.Single(TestLog.Where(e => e.Level == LogEventLevel.Warning &&
                                                       e.Properties.TryGetValue("TxId", out var t) && t.ToString().Contains(id)));
        Assert.Equal("\"JournalRejected\"", warning.Properties["Reason"].ToString());

        // The partition goes on: a small prepare with the same id is accepted now.
        Assert.Equal(HttpStatusCode.Created, (await host.PrepareAsync(id, new { small = 1 })).StatusCode);
    }
}
