using System.Diagnostics.Metrics;
using Akka.Actor;
using AkkaWal.Storage;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

[CollectionDefinition(nameof(GroupCommitSpec), DisableParallelization = true)]
public sealed class GroupCommitCollection;

/// <summary>Appends of many persistent actors share group commits (one write + one fdatasync for many events).</summary>
[Collection(nameof(GroupCommitSpec))]
public sealed class GroupCommitSpec(ITestOutputHelper output) : WalSpec(output)
{
    [Fact]
    public async Task Concurrent_persistent_actors_share_group_commits()
    {
        var groups = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == WalMetrics.MeterName && instrument.Name == "akkawal.storage.group.records") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => { lock (groups) groups.Add(value); });
        listener.Start();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var actors = Enumerable.Range(0, 50).Select(i => Sys.ActorOf(PersistingActor.Props($"group-{i}"))).ToArray();
        var replies = actors.SelectMany(a => Enumerable.Range(0, 10).Select(n => a.Ask<string>($"e{n}", TimeSpan.FromSeconds(30)))).ToList();
        await Task.WhenAll(replies);
        listener.Dispose();

        int[] observed;
        lock (groups) observed = groups.ToArray();
        Output.WriteLine($"{observed.Sum()} records in {observed.Length} group commits, largest {observed.Max()}, {clock.ElapsedMilliseconds} ms");
        Assert.True(observed.Sum() >= 500);
        Assert.True(observed.Length < observed.Sum(), "every record had its own fdatasync");
    }
}
