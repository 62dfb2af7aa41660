namespace AkkaWal.Benchmarks;

/// <summary>A log under test: an append completes only when the record is durable.</summary>
public interface IAppendTarget : IAsyncDisposable
{
    string System { get; }
    ValueTask AppendAsync(ReadOnlyMemory<byte> record, CancellationToken ct);
}
