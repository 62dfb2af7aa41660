namespace AkkaWal.Benchmarks;

/// <summary>How much work one `akkawal bench` run does. <see cref="Full"/> fits in 3 minutes, <see cref="Quick"/> in 30 seconds.</summary>
public sealed record BenchmarkPlan
{
    public required string Name { get; init; }
    public IReadOnlyList<int> WriterCounts { get; init; } = [1, 16, 64, 256];
    public int RecordSize { get; init; } = 100;
    /// <summary>Records per write + fdatasync in the batched raw loop.</summary>
    public int RawBatchRecords { get; init; } = 100;
    /// <summary>How often every measurement is repeated; the report gives median and spread over these.</summary>
    public int Repeats { get; init; } = 3;
    /// <summary>Appends before this are not counted (file growth, JIT, first segment preallocation).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromMilliseconds(300);
    public TimeSpan Measure { get; init; } = TimeSpan.FromSeconds(1.5);
    /// <summary>History written before the "append with history" measurement.</summary>
    public long HistoryBytes { get; init; } = 1L << 30;
    /// <summary>Record count of the log whose open-time scan rate is measured.</summary>
    public int OpenScanRecords { get; init; } = 1_000_000;

    public static BenchmarkPlan Full { get; } = new() { Name = "full" };

    public static BenchmarkPlan Quick { get; } = new()
    {
        Name = "quick",
        Repeats = 1,
        Warmup = TimeSpan.FromMilliseconds(200),
        Measure = TimeSpan.FromSeconds(1),
        HistoryBytes = 128L << 20,
        OpenScanRecords = 200_000,
    };

    /// <summary>Steps reported through progress, so a caller can size a progress bar.</summary>
    public int StepCount => Repeats * (2 + 2 * WriterCounts.Count + 2 + 1) + 2;

    public void Validate()
    {
        if (WriterCounts.Count == 0 || WriterCounts.Any(w => w < 1))
            throw new ArgumentException("WriterCounts must list at least one count, each >= 1.", nameof(WriterCounts));
        if (RecordSize < 1) throw new ArgumentException("RecordSize must be >= 1.", nameof(RecordSize));
        if (RawBatchRecords < 1) throw new ArgumentException("RawBatchRecords must be >= 1.", nameof(RawBatchRecords));
        if (Repeats < 1) throw new ArgumentException("Repeats must be >= 1.", nameof(Repeats));
        if (Measure <= TimeSpan.Zero) throw new ArgumentException("Measure must be positive.", nameof(Measure));
        if (Warmup < TimeSpan.Zero) throw new ArgumentException("Warmup must not be negative.", nameof(Warmup));
        if (HistoryBytes < 0) throw new ArgumentException("HistoryBytes must not be negative.", nameof(HistoryBytes));
        if (OpenScanRecords < 1) throw new ArgumentException("OpenScanRecords must be >= 1.", nameof(OpenScanRecords));
    }
}
