using System.Diagnostics;

namespace AkkaWal.Benchmarks;

/// <summary>The machine a run measured: cores, CPU model and the file system the logs were written to.</summary>
/// <param name="OptimizedBuild">False when the engine was compiled without optimizations (a Debug build): its figures
/// then understate the engine and must not be published.</param>
public sealed record MachineInfo(int Processors, string CpuModel, string FileSystem, string OperatingSystem, string Runtime, bool OptimizedBuild)
{
    public static MachineInfo Describe(string directory) => new(
        Environment.ProcessorCount,
        ReadCpuModel(),
        FileSystemOf(directory),
        global::System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        global::System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription +
            $" (thread-pool spin limit {AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") ?? "default"})",
        EngineIsOptimized);

    public static bool EngineIsOptimized { get; } =
        typeof(AkkaWal.Storage.WriteAheadLog).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .OfType<DebuggableAttribute>().All(d => !d.IsJITOptimizerDisabled);

    /// <summary>The 1-minute load average (/proc/loadavg), or null where unknown: on a shared machine it says how far
    /// the figures can be trusted.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, global::System.Globalization.NumberStyles.Float, global::System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static string ReadCpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }

    /// <summary>The `df -T` line of the directory (device, type, size), or the drive format where df is missing.</summary>
    private static string FileSystemOf(string directory)
    {
        try
        {
            using var df = Process.Start(new ProcessStartInfo("df", ["-T", "-h", directory])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (df is not null)
            {
                var output = df.StandardOutput.ReadToEnd();
                df.WaitForExit(5000);
                var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
                if (df.ExitCode == 0 && last is not null)
                {
                    var cols = last.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (cols.Length >= 3) return $"{cols[0]} {cols[1]} ({cols[2]}), mounted on {cols[^1]}";
                }
            }
        }
        catch (System.ComponentModel.Win32Exception) { /* no df: fall back below */ }
        var drive = new DriveInfo(Path.GetPathRoot(Path.GetFullPath(directory)) ?? "/");
        return $"{drive.Name} {drive.DriveFormat}";
    }
}
