using System.Collections.Frozen;
using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Serialization;

/// <summary>
/// Serializes every event, snapshot, command and reply of the pipeline as UTF-8 JSON (System.Text.Json) under a fixed
/// string manifest. Manifests never change once written: a renamed or moved CLR type keeps its manifest, and a new
/// shape of a record gets a new manifest (old ones stay readable).
/// </summary>
public sealed class TransactionsSerializer : SerializerWithStringManifest
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private static readonly FrozenDictionary<Type, string> ManifestOf = new Dictionary<Type, string>
    {
        // Journal events and snapshot: stored forever.
        [typeof(TransactionPrepared)] = "tx-prepared.v1",
        [typeof(TransactionCommitted)] = "tx-committed.v1",
        [typeof(TransactionAborted)] = "tx-aborted.v1",
        [typeof(PartitionSnapshot)] = "partition-snapshot.v1",
        // Commands.
        [typeof(Prepare)] = "prepare",
        [typeof(Commit)] = "commit",
        [typeof(Abort)] = "abort",
        [typeof(GetTransaction)] = "get-transaction",
        [typeof(GetInDoubt)] = "get-in-doubt",
        [typeof(Read)] = "read",
        [typeof(ReadKeys)] = "read-keys",
        [typeof(CompactNow)] = "compact-now",
        // Replies.
        [typeof(Prepared)] = "prepared",
        [typeof(Committed)] = "committed",
        [typeof(AlreadyCommitted)] = "already-committed",
        [typeof(Aborted)] = "aborted",
        [typeof(AlreadyAborted)] = "already-aborted",
        [typeof(TransactionRejected)] = "rejected",
        [typeof(WriteOutcomeUnknown)] = "write-outcome-unknown",
        [typeof(TransactionInfo)] = "transaction-info",
        [typeof(InDoubtTransactions)] = "in-doubt-transactions",
        [typeof(ReadResult)] = "read-result",
        [typeof(ReadKeysResult)] = "read-keys-result",
        [typeof(CompactionReport)] = "compaction-report",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Type> TypeOf = ManifestOf.ToFrozenDictionary(kv => kv.Value, kv => kv.Key);

    public TransactionsSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    /// <summary>Every type this serializer handles; a test checks each one round-trips.</summary>
    public static IEnumerable<Type> SupportedTypes => ManifestOf.Keys;

    /// <summary>The serializer id stored with every pipeline event (`akkawal dump` recognises them by it).</summary>
    public const int SerializerId = 4711;

    public override int Identifier => SerializerId;

    public override string Manifest(object o) =>
        ManifestOf.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{nameof(TransactionsSerializer)} has no manifest for {o.GetType().FullName}", nameof(o));

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!TypeOf.TryGetValue(manifest, out var type))
            throw new SerializationException($"{nameof(TransactionsSerializer)}: unknown manifest '{manifest}'");
        return JsonSerializer.Deserialize(bytes, type, Options)
               ?? throw new SerializationException($"{nameof(TransactionsSerializer)}: manifest '{manifest}' decoded to null");
    }
}
