namespace AkkaWal.Storage;

/// <summary>A durable record: its stable log position and its payload.</summary>
/// <remarks>Payloads returned by <see cref="WriteAheadLog.ReadFrom"/> are slices of a shared read chunk: copy them if you keep many.</remarks>
public readonly record struct LogRecord(long Position, ReadOnlyMemory<byte> Payload);
