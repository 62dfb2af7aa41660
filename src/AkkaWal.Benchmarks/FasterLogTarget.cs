using FASTER.core;

namespace AkkaWal.Benchmarks;

/// <summary>
/// Microsoft.FASTER.Core's FasterLog as a peer: AutoCommit on, every writer awaits its own commit through
/// EnqueueAndWaitForCommitAsync, so an acknowledgement means the record is on disk as FasterLog defines it.
/// </summary>
public sealed class FasterLogTarget : IAppendTarget
{
    private readonly IDevice _device;
    private readonly FasterLog _log;

    private FasterLogTarget(IDevice device, FasterLog log)
    {
        _device = device;
        _log = log;
    }

    public string System => Systems.FasterLog;

    public static FasterLogTarget Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var device = Devices.CreateLogDevice(Path.Combine(directory, "hlog.log"));
        var log = new FasterLog(new FasterLogSettings
        {
            LogDevice = device,
            LogCommitDir = Path.Combine(directory, "commits"),
            AutoCommit = true,
        });
        return new FasterLogTarget(device, log);
    }

    // Pooled state machine: the harness's own adapter should not add an allocation per append to the figures.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> record, CancellationToken ct) =>
        await _log.EnqueueAndWaitForCommitAsync(record, ct).ConfigureAwait(false);

    public ValueTask DisposeAsync()
    {
        _log.Dispose();
        _device.Dispose();
        return ValueTask.CompletedTask;
    }
}
