using AkkaWal.Storage;
using OpenTelemetry.Metrics;

namespace AkkaWal.Persistence.Hosting;

/// <summary>AkkaWal's meters for OpenTelemetry.</summary>
public static class AkkaWalInstrumentationExtensions
{
    /// <summary>Every AkkaWal meter: the engine's <c>AkkaWal.Storage</c> (appends, bytes, fsyncs, fsync duration in
    /// seconds, group sizes, compaction, segments) and any other <c>AkkaWal.*</c> meter, such as the host's.</summary>
    public static MeterProviderBuilder AddAkkaWalInstrumentation(this MeterProviderBuilder builder) =>
        builder.AddMeter(WalMetrics.MeterName, "AkkaWal.*");
}
