using System.Diagnostics;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>
/// What one timed cell cost the process: CPU time (all threads, user + kernel), bytes allocated (all threads) and the
/// share of the wall time the GC paused the process. These are far less sensitive to other load on the machine than
/// events/s, so they judge changes to the journal's own work.
/// </summary>
public readonly record struct CellCost(double Seconds, double CpuSeconds, long AllocatedBytes, double GcPauseSeconds)
{
    public double CpuMicrosPerEvent(int events) => CpuSeconds * 1e6 / events;
    public double BytesPerEvent(int events) => (double)AllocatedBytes / events;
    public double GcPauseShare => Seconds <= 0 ? 0 : GcPauseSeconds / Seconds;

    /// <summary>Runs <paramref name="cell"/> and measures it; the cell's own elapsed time is the one reported.</summary>
    public static async Task<CellCost> MeasureAsync(Func<Task<TimeSpan>> cell)
    {
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var bytes0 = GC.GetTotalAllocatedBytes(precise: true);
        var pause0 = GC.GetTotalPauseDuration();
        var elapsed = await cell();
        process.Refresh();
        return new CellCost(elapsed.TotalSeconds, (process.TotalProcessorTime - cpu0).TotalSeconds,
            GC.GetTotalAllocatedBytes(precise: true) - bytes0, (GC.GetTotalPauseDuration() - pause0).TotalSeconds);
    }
}
