namespace AkkaWal.Benchmarks;

/// <summary>What a stretch of work cost the whole process: CPU time (all threads, user + kernel) and bytes allocated on
/// the managed heap. Divided by the operations done in that stretch it gives the cost per operation, which, unlike a
/// rate, stays meaningful on a loaded machine.</summary>
public readonly record struct ProcessCost(TimeSpan Cpu, long AllocatedBytes)
{
    public static ProcessCost Now() => new(Environment.CpuUsage.TotalTime, GC.GetTotalAllocatedBytes(precise: true));

    /// <summary>CPU µs and bytes allocated per operation since <paramref name="start"/>.</summary>
    public static (double CpuMicros, double Bytes) PerOperation(ProcessCost start, long operations)
    {
        var end = Now();
        if (operations <= 0) return (double.NaN, double.NaN);
        return ((end.Cpu - start.Cpu).TotalMicroseconds / operations, (double)(end.AllocatedBytes - start.AllocatedBytes) / operations);
    }
}
