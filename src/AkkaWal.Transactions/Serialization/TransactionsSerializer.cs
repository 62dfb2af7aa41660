using System.Collections.Frozen;
using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Serialization;

/// <summary>
/// Serializes every event, snapshot, command and reply of the pipeline as UTF-8 JSON (System.Text.Json) under a fixed
/// string manifest. Manifests never change once written: a renamed or moved CLR type keeps its manifest, and a new
/// shape of a record gets a new manifest (old ones stay readable). An added optional field is not a new shape: records
/// without it read it as its default, and readers that predate it ignore it (e.g. <see cref="SharePrepared.RequestId"/>).
/// </summary>
public sealed class TransactionsSerializer : SerializerWithStringManifest
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private static readonly FrozenDictionary<Type, string> ManifestOf = new Dictionary<Type, string>
    {
        // Journal events and snapshots: stored forever.
        [typeof(SharePrepared)] = "tx-share-prepared.v1",
        [typeof(TransactionDecided)] = "tx-decided.v1",
        [typeof(ShareResolved)] = "tx-share-resolved.v1",
        [typeof(PartitionStateSnapshot)] = "partition-snapshot.v2",
        [typeof(PartitionLayoutRecorded)] = "partition-layout.v1",
        // The first layout's records: still readable, so that such data is refused with a clear error.
        [typeof(TransactionPrepared)] = "tx-prepared.v1",
        [typeof(TransactionCommitted)] = "tx-committed.v1",
        [typeof(TransactionAborted)] = "tx-aborted.v1",
        [typeof(PartitionSnapshot)] = "partition-snapshot.v1",
        // The partitions seam.
        [typeof(PartitionEnvelope)] = "partition-envelope",
        [typeof(PartitionRequest)] = "partition-request",
        [typeof(PartitionAnswer)] = "partition-answer",
        [typeof(PrepareShare)] = "prepare-share",
        [typeof(DecideTransaction)] = "decide-transaction",
        [typeof(ApplyDecision)] = "apply-decision",
        [typeof(ShareApplied)] = "share-applied",
        [typeof(FindShare)] = "find-share",
        [typeof(ShareInfo)] = "share-info",
        [typeof(GetDecision)] = "get-decision",
        [typeof(DecisionInfo)] = "decision-info",
        [typeof(ResolveInDoubt)] = "resolve-in-doubt",
        [typeof(StillInDoubt)] = "still-in-doubt",
        [typeof(ReadKeysAt)] = "read-keys-at",
        [typeof(KeyReads)] = "key-reads",
        [typeof(ListPending)] = "list-pending",
        [typeof(PendingShares)] = "pending-shares",
        [typeof(CompactPartition)] = "compact-partition",
        [typeof(PartitionCompacted)] = "partition-compacted",
        [typeof(ReportRecovered)] = "report-recovered",
        [typeof(PartitionRecovered)] = "partition-recovered",
        [typeof(CheckLayout)] = "check-layout",
        [typeof(LayoutChecked)] = "layout-checked",
        [typeof(StopPartition)] = "stop-partition",
        // Commands.
        [typeof(Prepare)] = "prepare",
        [typeof(Commit)] = "commit",
        [typeof(Abort)] = "abort",
        [typeof(GetTransaction)] = "get-transaction",
        [typeof(GetInDoubt)] = "get-in-doubt",
        [typeof(Read)] = "read",
        [typeof(ReadKeys)] = "read-keys",
        [typeof(CompactNow)] = "compact-now",
        [typeof(AwaitLayoutChecked)] = "await-layout-checked",
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

    /// <summary>Akka creates it from the <c>akka.actor.serializers</c> binding in <see cref="TransactionsConfig.Hocon"/>.</summary>
    /// <param name="system">The actor system it serializes for.</param>
    public TransactionsSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    /// <summary>Every type this serializer handles; a test checks each one round-trips.</summary>
    public static IEnumerable<Type> SupportedTypes => ManifestOf.Keys;

    /// <summary>The serializer id stored with every pipeline event (`akkawal dump` recognises them by it).</summary>
    public const int SerializerId = 4711;

    /// <inheritdoc/>
    public override int Identifier => SerializerId;

    /// <inheritdoc/>
    public override string Manifest(object o) =>
        ManifestOf.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{nameof(TransactionsSerializer)} has no manifest for {o.GetType().FullName}", nameof(o));

    /// <summary>A message that carries another message of the pipeline, with one number beside it.</summary>
    private sealed record Carrier(string NumberName, Func<object, (long Number, ITransactionsMessage Inner)> Open, Func<long, ITransactionsMessage, object> Close);

    private static readonly FrozenDictionary<Type, Carrier> Carriers = new Dictionary<Type, Carrier>
    {
        [typeof(PartitionEnvelope)] = new("partition", o => (((PartitionEnvelope)o).Partition, ((PartitionEnvelope)o).Message),
            (n, inner) => new PartitionEnvelope(checked((int)n), inner)),
        [typeof(PartitionRequest)] = new("id", o => (((PartitionRequest)o).Id, ((PartitionRequest)o).Message), (n, inner) => new PartitionRequest(n, inner)),
        [typeof(PartitionAnswer)] = new("id", o => (((PartitionAnswer)o).Id, ((PartitionAnswer)o).Answer), (n, inner) => new PartitionAnswer(n, inner)),
    }.ToFrozenDictionary();

    /// <inheritdoc/>
    public override byte[] ToBinary(object obj)
    {
        if (!Carriers.TryGetValue(obj.GetType(), out var carrier))
            return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);
        // A carrier holds its message under the message's own manifest: {"partition":n,"manifest":"...","message":{...}}.
        var (number, inner) = carrier.Open(obj);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber(carrier.NumberName, number);
            writer.WriteString("manifest", Manifest(inner));
            writer.WritePropertyName("message");
            writer.WriteRawValue(ToBinary(inner), skipInputValidation: true);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <inheritdoc/>
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!TypeOf.TryGetValue(manifest, out var type))
            throw new SerializationException($"{nameof(TransactionsSerializer)}: unknown manifest '{manifest}'");
        if (Carriers.TryGetValue(type, out var carrier))
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            var inner = FromBinary(System.Text.Encoding.UTF8.GetBytes(root.GetProperty("message").GetRawText()), root.GetProperty("manifest").GetString()!);
            return carrier.Close(root.GetProperty(carrier.NumberName).GetInt64(), (ITransactionsMessage)inner);
        }
        return JsonSerializer.Deserialize(bytes, type, Options)
               ?? throw new SerializationException($"{nameof(TransactionsSerializer)}: manifest '{manifest}' decoded to null");
    }
}
