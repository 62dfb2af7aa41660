using Akka.Actor;
using AkkaSerialization = Akka.Serialization.Serialization;

namespace AkkaWal.Persistence;

/// <summary>A payload as Akka serialization produced it: enough to deserialize it with the same serializer.</summary>
internal readonly record struct SerializedPayload(int SerializerId, string Manifest, byte[] Bytes);

/// <summary>
/// Akka serialization of events and snapshots, always with transport information so IActorRef inside a payload
/// serializes as a full path and resolves on the way back.
/// </summary>
internal sealed class PayloadSerializer(ExtendedActorSystem system)
{
    private readonly AkkaSerialization _serialization = system.Serialization;

    public SerializedPayload Serialize(object payload)
        => AkkaSerialization.WithTransport(system, (payload, _serialization), static state =>
        {
            var serializer = state._serialization.FindSerializerFor(state.payload);
            var manifest = AkkaSerialization.ManifestFor(serializer, state.payload);
            return new SerializedPayload(serializer.Identifier, manifest, serializer.ToBinary(state.payload));
        });

    public object Deserialize(byte[] bytes, int serializerId, string manifest)
        => AkkaSerialization.WithTransport(system, (bytes, serializerId, manifest, _serialization),
            static s => s._serialization.Deserialize(s.bytes, s.serializerId, s.manifest));
}
