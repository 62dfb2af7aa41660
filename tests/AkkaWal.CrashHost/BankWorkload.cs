using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.CrashHost;

/// <summary>
/// `bank DIR TAG CLIENTS ACCOUNTS`: ACCOUNTS accounts of 100 spread over the partitions; CLIENTS clients move money
/// between random pairs with read-modify-write transactions guarded by expected versions, until the process is killed.
/// Lines (each complete line ends in " ."): `P id from to amount .` once a transfer is prepared (before its commit is
/// sent), `C id .` once its commit is acknowledged.
/// </summary>
public static class BankWorkload
{
    public const int InitialBalance = 100;

    public static string Account(int n) => "acct-" + n;

    /// <summary>Shared by the child and the verifying parent. Undecided transfers of a killed run are aborted after a
    /// short in-doubt timeout, so their accounts do not stay locked.</summary>
    public static Config Config(string directory) =>
        ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akkawal.transactions {
              partitions = 4
              in-doubt { policy = abort-after-timeout, timeout = 2s }
              compaction { interval = 500ms, min-records = 100 }
            }
            """).WithFallback(TransactionsConfig.OnWal(directory));

    public static int Run(string[] args)
    {
        var (directory, tag, clients, accounts) = (args[0], args[1], int.Parse(args[2]), int.Parse(args[3]));
        var system = ActorSystem.Create("crash-bank", Config(directory));
        var coordinator = system.StartTransactions();
        var timeout = TimeSpan.FromSeconds(60);
        // Open the accounts (expected version 0: only if they do not exist yet).
        for (var a = 0; a < accounts; a++)
        {
            var reply = coordinator.Ask<object>(new Prepare($"{tag}-open-{a}", Amounts((Account(a), InitialBalance)),
                new Dictionary<string, long> { [Account(a)] = 0 }), timeout).GetAwaiter().GetResult();
            if (reply is Prepared)
                coordinator.Ask<object>(new Commit($"{tag}-open-{a}"), timeout).GetAwaiter().GetResult();
        }
        TransactionsWorkload.Emit("READY");
        Task.WaitAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => Client(coordinator, $"{tag}-c{c}", accounts, c))).ToArray());
        return 0;
    }

    private static async Task Client(IActorRef coordinator, string prefix, int accounts, int seed)
    {
        var random = new Random(seed);
        var timeout = TimeSpan.FromSeconds(60);
        for (var n = 0; ; n++)
        {
            var from = Account(random.Next(accounts));
            var to = Account(random.Next(accounts));
            if (from == to)
                continue;
            var read = await coordinator.Ask<ReadKeysResult>(new ReadKeys([from, to]), timeout);
            if (!read.Values.ContainsKey(from) || !read.Values.ContainsKey(to))
                continue;
            var amount = random.Next(1, 11);
            var (fromBalance, toBalance) = (read.Values[from].GetInt32(), read.Values[to].GetInt32());
            if (fromBalance < amount)
                continue;
            var id = $"{prefix}-{n}";
            var prepared = await coordinator.Ask<object>(new Prepare(id, Amounts((from, fromBalance - amount), (to, toBalance + amount)),
                new Dictionary<string, long> { [from] = read.Versions![from], [to] = read.Versions[to] }), timeout);
            if (prepared is not Prepared)
                continue; // locked or changed since the read: try another pair
            TransactionsWorkload.Emit($"P {id} {from} {to} {amount}");
            if (await coordinator.Ask<object>(new Commit(id), timeout) is Committed)
                TransactionsWorkload.Emit($"C {id}");
        }
    }

    private static Dictionary<string, JsonElement> Amounts(params (string Account, int Balance)[] balances) =>
        balances.ToDictionary(b => b.Account, b => JsonSerializer.SerializeToElement(b.Balance));
}
