using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.CrashHost;

/// <summary>
/// `transactions DIR TAG [CLIENTS] [CRASH-AT]`: the transaction pipeline on the AkkaWal journal in DIR, driven by concurrent
/// clients until the process is killed (or, with CRASH-AT, kills itself at that step of the commit protocol). Each client prepares transactions writing three keys ({id}:a, {id}:b, {id}:c), commits
/// most, aborts every fifth and leaves every seventh undecided. One line per event, written only after the answer
/// arrived, ending in " ." so the parent can tell a complete line from one cut by the kill:
///   T id .  (about to prepare)   P id .  (prepare acknowledged)   U id .  (left undecided on purpose)
///   C id .  (commit acknowledged)  A id .  (abort acknowledged)
/// </summary>
public static class TransactionsWorkload
{
    /// <summary>The configuration the child and the verifying parent share (same partitions, same stores).</summary>
    public static Config Config(string directory, string crashAt = "") =>
        ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akkawal.transactions {
              partitions = 4
              # Compaction runs while the clients write, so crashes also hit snapshots and deletions.
              compaction { interval = 300ms, min-records = 50 }
              test.crash-at = "{{crashAt}}"
            }
            """).WithFallback(TransactionsConfig.OnWal(directory));

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: AkkaWal.CrashHost transactions DIR TAG [CLIENTS]");
            return 64;
        }
        var (directory, tag) = (args[0], args[1]);
        var clients = args.Length > 2 ? int.Parse(args[2]) : 16;
        var crashAt = args.Length > 3 ? args[3] : "";

        var system = ActorSystem.Create("crash-transactions", Config(directory, crashAt));
        var coordinator = system.StartTransactions();
        coordinator.Ask<InDoubtTransactions>(GetInDoubt.Instance, TimeSpan.FromMinutes(2)).GetAwaiter().GetResult(); // recovered
        Emit("READY");
        Task.WaitAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => Client(coordinator, $"{tag}-c{c}"))).ToArray());
        return 0;
    }

    private static async Task Client(IActorRef coordinator, string prefix)
    {
        var timeout = TimeSpan.FromSeconds(60);
        for (var n = 0; ; n++)
        {
            var id = $"{prefix}-{n}";
            Emit("T " + id);
            var changes = new Dictionary<string, JsonElement>
            {
                [id + ":a"] = JsonSerializer.SerializeToElement(n),
                [id + ":b"] = JsonSerializer.SerializeToElement(n),
                [id + ":c"] = JsonSerializer.SerializeToElement(n),
            };
            if (await coordinator.Ask<ITransactionReply>(new Prepare(id, changes), timeout) is not Prepared)
                throw new InvalidOperationException("prepare refused: " + id);
            Emit("P " + id);
            if (n % 7 == 3)
            {
                Emit("U " + id);
                continue;
            }
            if (n % 5 == 4)
            {
                if (await coordinator.Ask<ITransactionReply>(new Abort(id), timeout) is Aborted)
                    Emit("A " + id);
            }
            else if (await coordinator.Ask<ITransactionReply>(new Commit(id), timeout) is Committed)
            {
                Emit("C " + id);
            }
        }
    }

    // Console.Out is synchronized and auto-flushed: each line leaves the process in one write.
    internal static void Emit(string line) => Console.Out.Write(line + " .\n");
}
