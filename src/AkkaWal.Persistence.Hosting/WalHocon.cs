using AkkaWal.Storage;

namespace AkkaWal.Persistence.Hosting;

/// <summary>The HOCON spellings of the engine's enums (as reference.conf documents them).</summary>
internal static class WalHocon
{
    public static string RecoveryModeName(RecoveryMode mode) => mode switch
    {
        RecoveryMode.TolerateCorruptedTail => "tolerate-corrupted-tail",
        RecoveryMode.AbsoluteConsistency => "absolute-consistency",
        RecoveryMode.PointInTime => "point-in-time",
        RecoveryMode.SkipCorrupted => "skip-corrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown recovery mode"),
    };
}
