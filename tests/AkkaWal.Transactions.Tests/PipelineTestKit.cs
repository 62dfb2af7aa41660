using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;
using Xunit.Abstractions;

namespace AkkaWal.Transactions.Tests;

/// <summary>
/// A TestKit whose system runs the pipeline on a journal and snapshot store chosen in one place (<see cref="TestStores"/>),
/// with its own data directory and persistence ids, so tests can run side by side and restart the ActorSystem.
/// </summary>
public abstract class PipelineTestKit : Akka.TestKit.Xunit2.TestKit
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    protected PipelineTestKit(ITestOutputHelper output, string extraHocon = "")
        : this(output, extraHocon, new TestData())
    {
    }

    private PipelineTestKit(ITestOutputHelper output, string extraHocon, TestData data)
        : base(ConfigFor(data, extraHocon), "pipeline", output)
    {
        Data = data;
        ExtraHocon = extraHocon;
        Settings = TransactionSettings.Create(Sys);
        Coordinator = Sys.StartTransactions();
    }

    protected TestData Data { get; }
    protected string ExtraHocon { get; }
    protected TransactionSettings Settings { get; }
    protected IActorRef Coordinator { get; private set; }

    /// <summary>Where the test's files live and the persistence-id prefix that isolates its partitions.</summary>
    public sealed class TestData : IDisposable
    {
        private readonly TempDirectory _files = new("akkawal-tx-test-");

        public string Directory => _files.Path;
        public string Prefix { get; } = "tx-" + Guid.NewGuid().ToString("N")[..12] + "-";

        public void Dispose() => _files.Dispose();
    }

    protected static Config ConfigFor(TestData data, string extraHocon) =>
        ConfigurationFactory.ParseString(extraHocon)
            .WithFallback(ConfigurationFactory.ParseString($$"""
                akka.loglevel = INFO
                akkawal.transactions {
                  persistence-id-prefix = "{{data.Prefix}}"
                  partitions = 4
                  compaction.interval = off
                }
                """))
            .WithFallback(TestStores.Hocon(data.Directory))
            .WithFallback(TransactionsConfig.Default);

    /// <summary>A second ActorSystem on the same data (the first must be terminated): a restart.</summary>
    protected (ActorSystem System, IActorRef Coordinator) StartAgain(string name = "restarted")
    {
        var system = ActorSystem.Create(name, ConfigFor(Data, ExtraHocon));
        return (system, system.StartTransactions());
    }

    protected static Task<T> AskAsync<T>(IActorRef coordinator, object message) => coordinator.Ask<T>(message, Timeout);

    protected Task<T> AskAsync<T>(object message) => Coordinator.Ask<T>(message, Timeout);

    protected static Dictionary<string, JsonElement> Changes(params (string Key, object? Value)[] changes) =>
        changes.ToDictionary(c => c.Key, c => JsonSerializer.SerializeToElement(c.Value));

    /// <summary>The partition that owns <paramref name="key"/>.</summary>
    protected int PartitionOf(string key) => PartitionHash.PartitionOf(key, Settings.Partitions);

    /// <summary>The events the journal holds for one partition, read through the plugin's own replay protocol.</summary>
    protected static async Task<IReadOnlyList<object>> JournalEvents(ActorSystem system, TransactionSettings settings, int partition)
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(settings.JournalPluginId);
        var events = new List<object>();
        var done = new TaskCompletionSource();
        var collector = system.ActorOf(Props.Create(() => new ReplayCollector(events, done)));
        journal.Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, settings.PersistenceIdOf(partition), collector));
        await done.Task.WaitAsync(Timeout);
        system.Stop(collector);
        return events;
    }

    protected Task<IReadOnlyList<object>> JournalEvents(int partition) => JournalEvents(Sys, Settings, partition);

    protected async Task<int> TotalJournalEvents(ActorSystem? system = null)
    {
        var total = 0;
        for (var p = 0; p < Settings.Partitions; p++)
            total += (await JournalEvents(system ?? Sys, Settings, p)).Count;
        return total;
    }

    private sealed class ReplayCollector : ReceiveActor
    {
        public ReplayCollector(List<object> events, TaskCompletionSource done)
        {
            Receive<ReplayedMessage>(m => events.Add(m.Persistent.Payload));
            Receive<RecoverySuccess>(_ => done.TrySetResult());
            Receive<ReplayMessagesFailure>(f => done.TrySetException(f.Cause));
        }
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        // The system goes down before its files do: its journal and snapshot store open lazily (a partition still
        // recovering opens them) and would recreate the directory after it was deleted, leaking 128 MiB a test.
        Shutdown(verifySystemShutdown: true);
        Data.Dispose();
    }
}
