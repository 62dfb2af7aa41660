using System.Diagnostics;

namespace AkkaWal.Benchmarks;

/// <summary>
/// N writers, each appending one record and awaiting its acknowledgement before the next. Each acknowledgement is timed
/// with <see cref="Stopwatch.GetTimestamp"/>; only appends that start after the warm-up and are acknowledged inside
/// the measurement window count, so ramp-up and drain do not skew the rate.
/// </summary>
public static class ConcurrentWriters
{
    public static async Task<CellResult> RunAsync(IAppendTarget target, int writers, int recordSize, TimeSpan warmup, TimeSpan measure,
        CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(measure.TotalSeconds * Stopwatch.Frequency);
        var samples = new List<long>[writers];
        var acknowledged = new long[writers];
        var cost = ProcessCost.Now();
        var tasks = new Task[writers];
        for (var w = 0; w < writers; w++)
        {
            var mine = samples[w] = new List<long>(capacity: 4096);
            var record = new byte[recordSize];
            Random.Shared.NextBytes(record);
            var index = w;
            tasks[w] = Task.Run(async () => acknowledged[index] = await WriteLoopAsync(target, record, mine, measureFrom, measureTo, ct), ct);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var (cpu, bytes) = ProcessCost.PerOperation(cost, acknowledged.Sum());
        var (p50, p99) = LatencyPercentiles.Summarize(samples);
        return new CellResult(target.System, writers, samples.Sum(s => (long)s.Count), measure.TotalSeconds, p50, p99)
        {
            CpuMicrosPerAppend = cpu, BytesPerAppend = bytes,
        };
    }

    /// <summary>Appends until the window closes; returns every acknowledged append (warm-up included).</summary>
    private static async Task<long> WriteLoopAsync(IAppendTarget target, byte[] record, List<long> samples, long measureFrom, long measureTo,
        CancellationToken ct)
    {
        long acknowledged = 0;
        while (true)
        {
            var t0 = Stopwatch.GetTimestamp();
            if (t0 >= measureTo) return acknowledged;
            await target.AppendAsync(record, ct).ConfigureAwait(false);
            acknowledged++;
            var t1 = Stopwatch.GetTimestamp();
            if (t0 >= measureFrom && t1 <= measureTo) samples.Add(t1 - t0);
        }
    }
}
