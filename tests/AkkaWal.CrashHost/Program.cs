// Child process for crash tests. Each workload lives in its own file; the first argument picks it.
// Every workload prints one line per acknowledged write so the parent keeps the ledger outside this process.
return args.Length == 0 ? Usage() : args[0] switch
{
    "storage" => await StorageWorkload.RunAsync(args),
    "persistence" => AkkaWal.CrashHost.PersistenceWorkload.Run(args[1..]),
    "transactions" => AkkaWal.CrashHost.TransactionsWorkload.Run(args[1..]),
    "bank" => AkkaWal.CrashHost.BankWorkload.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: AkkaWal.CrashHost <workload> [args...]");
    return 64;
}
