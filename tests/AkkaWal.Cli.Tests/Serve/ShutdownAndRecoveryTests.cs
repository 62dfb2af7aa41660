using System.Net;
using AkkaWal.Cli.Tests.Hosting;
using AkkaWal.Storage;
using Serilog.Events;

namespace AkkaWal.Cli.Tests.Serve;

/// <summary>Graceful stop then restart; what start-up logs and does when the log was damaged while the host was down.</summary>
public sealed class ShutdownAndRecoveryTests
{
    private static string Journal(TempDirectory data) => Path.Combine(data.Path, "journal");

    private static bool IsRecoveryOf(LogEvent e, string directory) =>
        e.Properties.TryGetValue("Directory", out var d) && d.ToString().Contains(directory) ||
        e.Properties.TryGetValue("File", out var f) && f.ToString().Contains(directory);

    [Fact]
    public async Task After_a_graceful_stop_every_commit_and_prepare_is_back_and_the_log_opens_without_repair()
    {
        using var data = new TempDirectory();
        var committed = Enumerable.Range(0, 20).Select(i => $"c{i}").ToArray();
        await using (var host = await ServeTestHost.StartAsync(data.Path))
        {
            // In flight while the stop begins: the stop waits for them (Kestrel drains before the ActorSystem stops).
            var work = committed.Select(async id =>
            {
                Assert.Equal(HttpStatusCode.Created, (await host.PrepareAsync(id, new Dictionary<string, object> { ["key-" + id] = id })).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await host.CommitAsync(id)).StatusCode);
            }).ToArray();
            await Task.WhenAll(work);
            Assert.Equal(HttpStatusCode.Created, (await host.PrepareAsync("pending", new { p = 1 })).StatusCode);
            await host.StopAsync();
        }

        // The engine itself says the log was closed cleanly: nothing to repair on open.
        await using (var wal = WriteAheadLog.Open(new WalOptions { Directory = Journal(data) }))
            Assert.True(wal.Recovery.IsClean, wal.Recovery.ToString());

        await using (var host = await ServeTestHost.StartAsync(data.Path))
        {
            foreach (var id in committed)
            {
                var value = await ServeTestHost.JsonAsync(await host.Client.GetAsync($"/state/key-{id}"));
                Assert.Equal(id, value.GetProperty("value").GetString());
            }
            var inDoubt = await ServeTestHost.JsonAsync(await host.Client.GetAsync("/transactions?state=in-doubt"));
            Assert.Equal(["pending"], inDoubt.GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        }
        var opened = TestLog.Where(e => e.MessageTemplate.Text.StartsWith("Journal {JournalPluginId} opened") &&
                                        e.Properties["Repairs"] is ScalarValue { Value: 0 });
        Assert.NotEmpty(opened);
    }

    [Fact]
    public async Task A_torn_tail_left_by_a_crash_is_cut_on_start_and_logged_with_file_and_offset()
    {
        using var data = new TempDirectory();
        await using (var host = await ServeTestHost.StartAsync(data.Path))
        {
            await host.PrepareAsync("t1", new { k = 1 });
            await host.CommitAsync("t1");
        }
        var (file, offset) = TailOf(Journal(data));
        var garbage = new byte[512];
        new Random(7).NextBytes(garbage);
        LogFiles.Patch(file, offset, garbage);

        await using (var host = await ServeTestHost.StartAsync(data.Path))
            Assert.Equal(1, (await ServeTestHost.JsonAsync(await host.Client.GetAsync("/state/k"))).GetProperty("value").GetInt32());

        var repair = Assert.Single(TestLog.Where(e => e.Level == LogEventLevel.Warning && IsRecoveryOf(e, data.Path) &&
                                                      e.Properties["RecoveryEvent"].ToString() == nameof(RecoveryEventKind.TornTailTruncated)));
        Assert.Equal(offset, ((ScalarValue)repair.Properties["Offset"]).Value);
    }

    [Fact]
    public async Task Corruption_refused_by_the_recovery_mode_stops_start_up_with_a_fatal_event_naming_file_and_offset()
    {
        using var data = new TempDirectory();
        await using (var host = await ServeTestHost.StartAsync(data.Path))
        {
            for (var i = 0; i < 5; i++)
            {
                await host.PrepareAsync($"t{i}", new { k = new string('v', 200) });
                await host.CommitAsync($"t{i}");
            }
        }
        var (file, tail) = TailOf(Journal(data));
        LogFiles.Xor(file, tail / 2, 0xFF); // inside an acknowledged record

        // The default tolerate-corrupted-tail mode: acknowledged records follow the damage, so it is no torn tail.
        var e = await Record.ExceptionAsync(() => ServeTestHost.StartAsync(data.Path));
        var corruption = Assert.IsType<WalCorruptionException>(e.GetBaseException());
        Assert.Equal(file, corruption.FilePath);
        var fatal = Assert.Single(TestLog.Where(ev => ev.Level == LogEventLevel.Fatal && IsRecoveryOf(ev, data.Path)));
        Assert.Equal(file, ((ScalarValue)fatal.Properties["File"]).Value);
        Assert.InRange(corruption.FileOffset, 64, tail / 2); // the damaged record's frame starts at or before the flipped byte
        Assert.Equal(corruption.FileOffset, ((ScalarValue)fatal.Properties["Offset"]).Value);
    }

    /// <summary>The segment file holding the log's durable end, and the end's offset in it (file name = base position).</summary>
    private static (string File, long Offset) TailOf(string journal)
    {
        long end;
        using (var wal = WriteAheadLog.Open(new WalOptions { Directory = journal }))
            end = wal.DurableEnd;
        return LogFiles.Locate(journal, end);
    }

}
