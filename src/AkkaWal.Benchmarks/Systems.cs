namespace AkkaWal.Benchmarks;

/// <summary>Names of the systems measured side by side, as they appear in the report.</summary>
public static class Systems
{
    public static string RawSync(int recordsPerSync) => $"raw write+fdatasync ({recordsPerSync}/sync)";
    public const string FasterLog = "FasterLog 2.6.5";
    public const string AkkaWal = "AkkaWal";
}
