using AkkaWal.Storage;

namespace AkkaWal.Benchmarks.Engine;

/// <summary>The AkkaWal engine with its defaults (durability Always: acknowledged after the group's fdatasync).</summary>
public sealed class AkkaWalTarget : IAppendTarget
{
    private readonly WriteAheadLog _log;

    private AkkaWalTarget(WriteAheadLog log) => _log = log;

    public string System => Systems.AkkaWal;

    public WriteAheadLog Log => _log;

    public static AkkaWalTarget Open(string directory)
    {
        Directory.CreateDirectory(directory);
        return new AkkaWalTarget(WriteAheadLog.Open(new WalOptions { Directory = directory }));
    }

    // Pooled state machine: the harness's own adapter should not add an allocation per append to the figures.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> record, CancellationToken ct) =>
        await _log.AppendAsync(record, ct).ConfigureAwait(false);

    public ValueTask DisposeAsync() => _log.DisposeAsync();
}
