using System.Collections.Immutable;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Serialization;

namespace AkkaWal.Persistence.Tests;

/// <summary>An event holding an actor reference: it only round-trips with transport information.</summary>
public sealed record TestPayload(IActorRef Ref);

/// <summary>An event its serializer refuses.</summary>
public sealed record NotSerializable(string Why);

/// <summary>
/// Serializer for <see cref="TestPayload"/> that, like the TCK's, demands transport information both ways
/// (so a plugin that forgets Serialization.WithTransport fails), and that throws for <see cref="NotSerializable"/>.
/// </summary>
public sealed class TestSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private static readonly System.Reflection.FieldInfo CurrentTransportField =
        typeof(Akka.Serialization.Serialization).GetField("CurrentTransportInformation",
            System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)
        ?? throw new InvalidOperationException("Akka's Serialization.CurrentTransportInformation field not found");

    public override int Identifier => 4711;

    public override string Manifest(object o) => o switch
    {
        TestPayload => "A",
        _ => throw new SerializationException($"unsupported {o.GetType()}"),
    };

    public override byte[] ToBinary(object obj)
    {
        if (obj is not TestPayload p) throw new SerializationException($"{obj.GetType().Name} is not serializable here");
        VerifyTransportInfo();
        return Encoding.UTF8.GetBytes(Akka.Serialization.Serialization.SerializedActorPath(p.Ref));
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        VerifyTransportInfo();
        if (manifest != "A") throw new SerializationException($"unknown manifest {manifest}");
        return new TestPayload(system.Provider.ResolveActorRef(Encoding.UTF8.GetString(bytes)));
    }

    private void VerifyTransportInfo()
    {
        // The thread-static Akka sets inside Serialization.WithTransport (internal, hence reflection).
        var info = CurrentTransportField.GetValue(null) as Information
                   ?? throw new InvalidOperationException("CurrentTransportInformation was not set");
        if (!info.System.Equals(system)) throw new InvalidOperationException("wrong system in CurrentTransportInformation");
    }
}

/// <summary>Tags string events by the colours and fruits they mention (as the TCK query specs do).</summary>
public sealed class ColorFruitTagger : IWriteEventAdapter
{
    private static readonly string[] Words = { "green", "black", "blue", "apple", "banana" };

    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt)
    {
        if (evt is not string s) return evt;
        var tags = Words.Where(s.Contains).ToImmutableHashSet();
        return tags.IsEmpty ? evt : new Tagged(evt, tags);
    }
}

/// <summary>Persists every string command and answers "{cmd}-done"; DeleteTo deletes and answers "{n}-deleted".</summary>
public sealed class PersistingActor : UntypedPersistentActor
{
    public sealed record DeleteTo(long ToSequenceNr);

    private IActorRef? _deleteRequester;

    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new PersistingActor(persistenceId));

    public PersistingActor(string persistenceId) => PersistenceId = persistenceId;

    public override string PersistenceId { get; }

    protected override void OnRecover(object message) { }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case DeleteTo delete:
                _deleteRequester = Sender;
                DeleteMessages(delete.ToSequenceNr);
                break;
            case DeleteMessagesSuccess s:
                _deleteRequester?.Tell($"{s.ToSequenceNr}-deleted");
                break;
            case DeleteMessagesFailure f:
                _deleteRequester?.Tell($"{f.ToSequenceNr}-deleted-failed");
                break;
            case string cmd:
                var sender = Sender;
                Persist(cmd, e => sender.Tell($"{e}-done"));
                break;
        }
    }
}

/// <summary>An event whose adapter writes manifest "v2" and, reading back, records the manifest it was given.</summary>
public sealed record Versioned(string Value);

public sealed class VersionedAdapter : IEventAdapter
{
    public string Manifest(object evt) => "v2";

    public object ToJournal(object evt) => evt;

    public IEventSequence FromJournal(object evt, string manifest)
        => EventSequence.Single(new Versioned(((Versioned)evt).Value + "@" + manifest));
}
