using System.Buffers.Binary;
using Akka.Actor;
using Akka.Serialization;

namespace AkkaWal.Benchmarks.Journal;

/// <summary>The event every benchmark actor persists: its running count (1, 2, 3, ...), checked on replay.</summary>
public sealed record BenchEvent(int Value);

/// <summary>
/// A 4-byte stable serializer for <see cref="BenchEvent"/>, the same for every journal under test, so the figures
/// compare journals and not serializers (the default JSON serializer would dominate the in-memory journal's cost).
/// </summary>
public sealed class BenchEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const string Hocon = """
        akka.actor {
          serializers.akkawal-bench = "AkkaWal.Benchmarks.Journal.BenchEventSerializer, AkkaWal.Benchmarks"
          serialization-bindings { "AkkaWal.Benchmarks.Journal.BenchEvent, AkkaWal.Benchmarks" = akkawal-bench }
          serialization-identifiers { "AkkaWal.Benchmarks.Journal.BenchEventSerializer, AkkaWal.Benchmarks" = 4790 }
        }
        """;

    private const string EventManifest = "e";

    public override int Identifier => 4790;

    public override string Manifest(object o) => o is BenchEvent
        ? EventManifest
        : throw new ArgumentException($"{o.GetType()} is not a benchmark event", nameof(o));

    public override byte[] ToBinary(object obj)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, ((BenchEvent)obj).Value);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest) => manifest == EventManifest
        ? new BenchEvent(BinaryPrimitives.ReadInt32LittleEndian(bytes))
        : throw new ArgumentException($"unknown manifest '{manifest}' for the benchmark serializer", nameof(manifest));
}
