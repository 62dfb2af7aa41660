using System.Text.Json;
using Akka.Serialization;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;
using AkkaWal.Transactions.Serialization;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

public sealed class SerializationTests(ITestOutputHelper output) : PipelineTestKit(output)
{
    private static readonly Dictionary<string, JsonElement> SomeChanges = new()
    {
        ["n"] = JsonSerializer.SerializeToElement(1.5),
        ["o"] = JsonSerializer.SerializeToElement(new { name = "Zoë", tags = new[] { "x" } }),
        ["null"] = JsonSerializer.SerializeToElement<object?>(null),
    };

    public static IEnumerable<object[]> Samples() =>
        new ITransactionsMessage[]
        {
            new SharePrepared("t", 1, [0, 1], SomeChanges, new Dictionary<string, long> { ["n"] = 3 }, DateTimeOffset.FromUnixTimeMilliseconds(1771718400250)),
            new SharePrepared("t", 1, [0, 1], SomeChanges, new Dictionary<string, long>(), DateTimeOffset.UnixEpoch, Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")),
            new TransactionDecided("t", true, [0, 1], DateTimeOffset.UnixEpoch),
            new ShareResolved("t", false, DateTimeOffset.UnixEpoch),
            new PartitionStateSnapshot(new Dictionary<string, KeyState> { ["k"] = new(SomeChanges["o"], 7) },
                [new SharePrepared("p", 0, [0], SomeChanges, new Dictionary<string, long>(), DateTimeOffset.UnixEpoch)],
                [new OpenDecision("d", true, [2, 3])], [new DecidedTransaction("c1", true, DateTimeOffset.UnixEpoch), new DecidedTransaction("c2", false, DateTimeOffset.UnixEpoch, Guid.NewGuid())]),
            new PartitionLayoutRecorded(8),
            new TransactionPrepared("t", SomeChanges, DateTimeOffset.FromUnixTimeMilliseconds(1771718400250)),
            new TransactionCommitted("t", 42),
            new TransactionAborted("t"),
            new PartitionSnapshot(new Dictionary<string, VersionedValue> { ["k"] = new(SomeChanges["o"], 7) },
                [new InDoubtTransaction("p", SomeChanges, DateTimeOffset.UnixEpoch)], ["c1", "c2"], ["a1"], 9),
            new PartitionEnvelope(3, new PrepareShare("t", 1, [1, 3], SomeChanges, new Dictionary<string, long> { ["n"] = 0 })),
            new PartitionEnvelope(0, ListPending.Instance),
            new PartitionEnvelope(2, new PartitionRequest(long.MaxValue, new PrepareShare("t", 2, [2], SomeChanges, new Dictionary<string, long>(), Guid.NewGuid()))),
            new PartitionRequest(1, new FindShare("t")), new PartitionAnswer(9, new Prepared("t")),
            new PartitionAnswer(3, new ShareInfo("t", 1, TransactionStatus.Prepared, 1, [1, 3], SomeChanges, DateTimeOffset.UnixEpoch)),
            new PrepareShare("t", 1, [1, 3], SomeChanges, new Dictionary<string, long>()),
            new DecideTransaction("t", true, [1, 3]), new ApplyDecision("t", false), new ShareApplied("t", 3), new FindShare("t"),
            new ShareInfo("t", 1, TransactionStatus.Prepared, 1, [1, 3], SomeChanges, DateTimeOffset.UnixEpoch),
            new ShareInfo("t", 1, TransactionStatus.Unknown, -1, [], null, null),
            new GetDecision("t"), new DecisionInfo("t", TransactionStatus.Committed), new ResolveInDoubt("t", true, [1, 2]),
            new StillInDoubt("t"), new ReadKeysAt(["a", "b"]),
            new KeyReads([new KeyRead("a", SomeChanges["n"], 2, "h", 3, SomeChanges["o"]), new KeyRead("b", null, 0, null, null, null)]),
            ListPending.Instance, new PendingShares([new ShareInfo("t", 1, TransactionStatus.Prepared, 1, [1], SomeChanges, DateTimeOffset.UnixEpoch)]),
            new CompactPartition(10), new PartitionCompacted(1, true, 5), ReportRecovered.Instance, AwaitLayoutChecked.Instance, StopPartition.Instance,
            new PartitionRecovered(1, 2, 3, 4, 5, 6, 7, 8, 9.5), new CheckLayout(8), new LayoutChecked(8, "why"),
            new Prepare("t", SomeChanges), new Prepare("t", SomeChanges, new Dictionary<string, long> { ["n"] = 0 }), new Commit("t"), new Abort("t"), new GetTransaction("t"), GetInDoubt.Instance,
            new Read("k"), new ReadKeys(["a", "b"]), CompactNow.Instance,
            new Prepared("t"), new Committed("t"), new AlreadyCommitted("t"), new Aborted("t"), new AlreadyAborted("t"),
            new TransactionRejected("t", RejectionReason.AlreadyExists, "why"),
            new TransactionRejected("t", RejectionReason.VersionMismatch, "why", Key: "k", Expected: 1, Actual: 2), new WriteOutcomeUnknown("t", "why"),
            new TransactionInfo("t", TransactionStatus.Prepared, SomeChanges, DateTimeOffset.UnixEpoch),
            new TransactionInfo("t", TransactionStatus.Unknown, null, null),
            new InDoubtTransactions([new InDoubtTransaction("p", SomeChanges, DateTimeOffset.UnixEpoch)]),
            new ReadResult("k", true, SomeChanges["o"], 4), new ReadResult("k", false, null),
            new ReadKeysResult(SomeChanges), new ReadKeysResult(SomeChanges, new Dictionary<string, long> { ["n"] = 1 }), new CompactionReport(2, 100),
        }.Select(m => new object[] { m });

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_message_round_trips_through_the_bound_serializer(ITransactionsMessage message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<TransactionsSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        var bytes = serializer.ToBinary(message);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
        // Records holding JsonElements compare by reference there, so compare the serialized forms.
        Assert.Equal(message.GetType(), back.GetType());
        Assert.Equal(JsonSerializer.Serialize(message, message.GetType()), JsonSerializer.Serialize(back, back.GetType()));
    }

    [Fact]
    public void Every_supported_type_has_a_sample()
    {
        var sampled = Samples().Select(s => s[0].GetType()).ToHashSet();
        Assert.All(TransactionsSerializer.SupportedTypes, t => Assert.Contains(t, sampled));
    }

    [Fact]
    public void Records_written_before_request_ids_existed_read_with_none()
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerForType(typeof(SharePrepared));
        var share = (SharePrepared)serializer.FromBinary(System.Text.Encoding.UTF8.GetBytes(
            """{"txId":"t","home":1,"participants":[0,1],"changes":{"n":1},"expect":{"n":3},"preparedAt":"2026-02-22T00:00:00+00:00"}"""),
            "tx-share-prepared.v1");
        Assert.Equal(("t", 1, 3L, (Guid?)null), (share.TxId, share.Home, share.Expect["n"], share.RequestId));

        var snapshot = (PartitionStateSnapshot)serializer.FromBinary(System.Text.Encoding.UTF8.GetBytes(
            """{"values":{},"pending":[],"open":[],"decided":[{"txId":"c1","committed":true,"decidedAt":"2026-02-22T00:00:00+00:00"}]}"""),
            "partition-snapshot.v2");
        Assert.Equal(new DecidedTransaction("c1", true, DateTimeOffset.Parse("2026-02-22T00:00:00+00:00")), Assert.Single(snapshot.Decided));

        // And what is written now carries the id, under the same manifest (an older reader ignores the field).
        var id = Guid.NewGuid();
        var written = share with { RequestId = id };
        Assert.Equal("tx-share-prepared.v1", serializer.Manifest(written));
        Assert.Equal(id, ((SharePrepared)serializer.FromBinary(serializer.ToBinary(written), "tx-share-prepared.v1")).RequestId);
    }

    [Fact]
    public void Unknown_manifest_is_a_clear_error()
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerForType(typeof(Commit));
        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "nope"));
        Assert.Contains("'nope'", e.Message);
    }

    [Fact]
    public void Partition_hash_is_fnv1a_and_stable()
    {
        // Published FNV-1a 32-bit test vectors.
        Assert.Equal(0x811c9dc5u, PartitionHash.Fnv1a(""));
        Assert.Equal(0xe40c292cu, PartitionHash.Fnv1a("a"));
        Assert.Equal(0xbf9cf968u, PartitionHash.Fnv1a("foobar"));
        Assert.Equal((int)(0xbf9cf968u % 8), PartitionHash.PartitionOf("foobar", 8));
    }
}
