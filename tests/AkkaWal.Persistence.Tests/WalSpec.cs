using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Xunit.Abstractions;

namespace AkkaWal.Persistence.Tests;

/// <summary>
/// Base of the plugin specs: an actor system whose journal, snapshot store and read journal are AkkaWal's, on a fresh
/// temporary directory that is removed after the test.
/// </summary>
public abstract class WalSpec : Akka.TestKit.Xunit2.TestKit
{
    private static int _counter;

    private readonly TempDirectory _data;

    protected WalSpec(ITestOutputHelper output, string extraConfig = "")
        : this(new TempDirectory(), output, extraConfig)
    {
    }

    private WalSpec(TempDirectory data, ITestOutputHelper output, string extraConfig)
        : base(SystemConfig(data.Path, extraConfig), "WalSpec" + Interlocked.Increment(ref _counter), output)
    {
        _data = data;
    }

    /// <summary>The temporary root directory: journal/ and snapshots/ live under it.</summary>
    protected string Dir => _data.Path;

    protected string Pid { get; } = "p-" + Guid.NewGuid().ToString("N")[..8];
    protected string WriterGuid { get; } = Guid.NewGuid().ToString();

    protected IActorRef Journal => Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);
    protected IActorRef SnapshotStore => Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);

    public static Config SystemConfig(string dir, string extraConfig = "") =>
        ConfigurationFactory.ParseString($$"""
            akka.loglevel = INFO
            akka.test.single-expect-default = 10s
            akka.persistence.publish-plugin-commands = on
            akka.persistence.journal.plugin = "akka.persistence.journal.wal"
            akka.persistence.journal.wal.directory = "{{dir}}/journal"
            akka.persistence.journal.wal.event-adapters {
              color-tagger = "AkkaWal.Persistence.Tests.ColorFruitTagger, AkkaWal.Persistence.Tests"
              versioned = "AkkaWal.Persistence.Tests.VersionedAdapter, AkkaWal.Persistence.Tests"
            }
            akka.persistence.journal.wal.event-adapter-bindings {
              "System.String" = color-tagger
              "AkkaWal.Persistence.Tests.Versioned, AkkaWal.Persistence.Tests" = versioned
            }
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.wal"
            akka.persistence.snapshot-store.wal.directory = "{{dir}}/snapshots"
            akka.actor {
              serializers { wal-test = "AkkaWal.Persistence.Tests.TestSerializer, AkkaWal.Persistence.Tests" }
              serialization-bindings {
                "AkkaWal.Persistence.Tests.TestPayload, AkkaWal.Persistence.Tests" = wal-test
                "AkkaWal.Persistence.Tests.NotSerializable, AkkaWal.Persistence.Tests" = wal-test
              }
            }
            {{extraConfig}}
            """)
            .WithFallback(WalPersistence.DefaultConfiguration());

    protected void Subscribe<T>(IActorRef subscriber) => Sys.EventStream.Subscribe(subscriber, typeof(T));

    protected override void AfterAll()
    {
        base.AfterAll();
        // Down before the files go: the plugins open lazily and would recreate the directory after the delete.
        Shutdown(verifySystemShutdown: true);
        _data.Dispose();
    }
}
