using System.Text.Json;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions;

/// <summary>Input rules checked before anything is routed or written.</summary>
internal static class TransactionRules
{
    /// <summary>Null when the id is valid; otherwise the rejection to send.</summary>
    public static TransactionRejected? CheckTxId(string? txId)
    {
        if (string.IsNullOrEmpty(txId))
            return new TransactionRejected(txId ?? "", RejectionReason.InvalidTxId, "tx id must be 1 to 256 characters, was empty");
        if (txId.Length > TransactionSettings.MaxTxIdLength)
            return new TransactionRejected(txId, RejectionReason.InvalidTxId,
                $"tx id must be 1 to {TransactionSettings.MaxTxIdLength} characters, was {txId.Length}");
        return null;
    }

    /// <summary>Null when the changes are valid; otherwise the rejection to send.</summary>
    public static TransactionRejected? CheckChanges(string txId, IReadOnlyDictionary<string, JsonElement>? changes, int maxBytes)
    {
        if (changes is null)
            return new TransactionRejected(txId, RejectionReason.InvalidChanges, "changes must be a JSON object (may be empty), was null");
        foreach (var (key, value) in changes)
        {
            if (key is null)
                return new TransactionRejected(txId, RejectionReason.InvalidChanges, "a change has a null key");
            if (value.ValueKind == JsonValueKind.Undefined)
                return new TransactionRejected(txId, RejectionReason.InvalidChanges, $"change '{key}' has no JSON value");
        }
        var size = ChangesSize(changes);
        return size > maxBytes
            ? new TransactionRejected(txId, RejectionReason.InvalidChanges,
                $"changes are {size} bytes as JSON, more than max-changes-bytes = {maxBytes}")
            : null;
    }

    /// <summary>Null when every expected version is valid (a key, and a version of 0 or more); otherwise the rejection.</summary>
    public static TransactionRejected? CheckExpect(string txId, IReadOnlyDictionary<string, long> expect)
    {
        foreach (var (key, version) in expect)
        {
            if (key is null)
                return new TransactionRejected(txId, RejectionReason.InvalidChanges, "an expected version has a null key");
            if (version < 0)
                return new TransactionRejected(txId, RejectionReason.InvalidChanges,
                    $"expected version of '{key}' must be 0 (must not exist) or more, was {version}", Key: key);
        }
        return null;
    }

    /// <summary>UTF-8 size of the changes written as one JSON object: what the limit means.</summary>
    public static long ChangesSize(IReadOnlyDictionary<string, JsonElement> changes)
    {
        using var counter = new ByteCounter();
        using (var writer = new Utf8JsonWriter(counter))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in changes)
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return counter.Length;
    }

    /// <summary>A write-only stream that only counts, so measuring a large prepare allocates nothing per byte.</summary>
    private sealed class ByteCounter : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
