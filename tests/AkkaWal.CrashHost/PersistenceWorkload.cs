using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using AkkaWal.Persistence;

namespace AkkaWal.CrashHost;

/// <summary>
/// `persistence &lt;dir&gt; [actors] [seed]`: persistent actors on the AkkaWal journal write events forever with Persist,
/// PersistAll and PersistAsync, and now and then delete old events. Each actor first prints what it recovered, so the
/// parent can check it against its ledger. Lines (one write(2) each):
///   REC pid seq value | RECDONE pid highest | BATCH pid first last | ACK pid seq value | DELREQ pid to | DELOK pid to
/// </summary>
public static class PersistenceWorkload
{
    public static int Run(string[] args)
    {
        if (args.Length < 1) { Console.Error.WriteLine("usage: persistence <dir> [actors] [seed]"); return 64; }
        var dir = args[0];
        var actors = args.Length > 1 ? int.Parse(args[1]) : 4;
        var seed = args.Length > 2 ? int.Parse(args[2]) : Environment.ProcessId;
        var system = ActorSystem.Create("crash", Config(dir));
        for (var i = 0; i < actors; i++)
            system.ActorOf(LedgerActor.Props($"actor-{i}", Console.Out, seed + i), $"actor-{i}");
        system.WhenTerminated.Wait(); // runs until killed
        return 0;
    }

    public static Config Config(string dir) => ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.wal"
        akka.persistence.journal.wal {
          directory = "{{dir}}/journal"
          segment-size = 256KiB
          max-record-size = 64KiB
          compaction { interval = 500ms, dead-bytes-threshold = 0 }
          # Index checkpoints every few records, so kills land before, while and after one is written.
          index-checkpoint.every = 4KiB
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.wal"
        akka.persistence.snapshot-store.wal.directory = "{{dir}}/snapshots"
        """).WithFallback(WalPersistence.DefaultConfiguration());
}

/// <summary>
/// Writes event "{pid}:{seq}" after event, cycling through Persist, PersistAll (3 events) and PersistAsync, and deletes
/// all but the last 10 events every 50 events. Prints every recovered and every acknowledged event.
/// </summary>
public sealed class LedgerActor : UntypedPersistentActor
{
    private readonly TextWriter _out;
    private readonly Random _random;
    private long _next;

    public LedgerActor(string persistenceId, TextWriter output, int seed)
    {
        PersistenceId = persistenceId;
        _out = output;
        _random = new Random(seed);
    }

    public static Props Props(string persistenceId, TextWriter output, int seed)
        => Akka.Actor.Props.Create(() => new LedgerActor(persistenceId, output, seed));

    public override string PersistenceId { get; }

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case string value:
                _out.WriteLine($"REC {PersistenceId} {LastSequenceNr} {value}");
                break;
            case RecoveryCompleted:
                _out.WriteLine($"RECDONE {PersistenceId} {LastSequenceNr}");
                _next = LastSequenceNr + 1;
                Self.Tell("write");
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case "write":
                Write();
                break;
            case DeleteMessagesSuccess ok:
                _out.WriteLine($"DELOK {PersistenceId} {ok.ToSequenceNr}");
                break;
            case DeleteMessagesFailure failed:
                _out.WriteLine($"DELFAIL {PersistenceId} {failed.ToSequenceNr} {failed.Cause.Message}");
                break;
        }
    }

    private void Write()
    {
        var first = _next;
        switch (_random.Next(3))
        {
            case 0:
                Persist(Value(_next++), Acknowledge);
                DeferAsync("next", _ => Continue(first));
                break;
            case 1:
                var batch = new[] { Value(_next++), Value(_next++), Value(_next++) };
                _out.WriteLine($"BATCH {PersistenceId} {first} {first + 2}");
                PersistAll(batch, Acknowledge);
                DeferAsync("next", _ => Continue(first));
                break;
            default:
                PersistAsync(Value(_next++), Acknowledge);
                PersistAsync(Value(_next++), Acknowledge);
                DeferAsync("next", _ => Continue(first));
                break;
        }
    }

    private void Continue(long firstOfRound)
    {
        // Every ~50 events keep only the last 10.
        if (firstOfRound / 50 != (_next - 1) / 50 && _next > 11)
        {
            var to = _next - 11;
            _out.WriteLine($"DELREQ {PersistenceId} {to}");
            DeleteMessages(to);
        }
        Self.Tell("write");
    }

    private string Value(long seq) => $"{PersistenceId}:{seq}";

    private void Acknowledge(string value) => _out.WriteLine($"ACK {PersistenceId} {LastSequenceNr} {value}");
}
