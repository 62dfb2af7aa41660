using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using AkkaWal.Transactions;
using AkkaWal.Transactions.Partitioning;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Benchmarks.Transactions;

/// <summary>What to run: the client counts of the throughput cells, the pending counts of the latency cells and the file
/// sizes of the rewrite-per-commit comparison.</summary>
public sealed record TransactionsBenchmarkPlan(
    string Name,
    int[] Clients,
    TimeSpan Warmup,
    TimeSpan CellDuration,
    int[] PendingCounts,
    int CommitsPerPendingCell,
    int[] RewriteSizes,
    int Partitions = 8,
    int KeyPool = 100_000)
{
    public static TransactionsBenchmarkPlan Full { get; } = new("full", [1, 64, 1024], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10),
        [100, 100_000], 2000, [100, 200, 400, 800, 1600, 3200]);

    public static TransactionsBenchmarkPlan Quick { get; } = new("quick", [1, 64, 1024], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3),
        [100, 100_000], 500, [100, 200, 400, 800]);

    /// <summary>Proves the command still works in seconds; its figures mean nothing.</summary>
    public static TransactionsBenchmarkPlan Smoke { get; } = new("smoke", [1, 8], TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500),
        [10, 100], 20, [10], KeyPool: 50);
}

/// <summary>Which partitions a transaction's keys live in.</summary>
public enum TransactionShape { SinglePartition, TwoPartitions }

/// <summary><paramref name="ConflictRate"/>: refused prepares (a key locked or changed) over all prepares.</summary>
public sealed record ThroughputCell(TransactionShape Shape, int Clients, double TransactionsPerSecond, double CommitP50Ms, double CommitP99Ms,
    long Transactions, double ConflictRate);

public sealed record PendingCell(int Pending, int Commits, double CommitP50Ms, double CommitP99Ms);

/// <summary>n transactions pending, then all n committed one after the other, by the rewrite-per-commit file and by the pipeline.</summary>
public sealed record RewriteCell(int N, double RewriteTotalMs, double RewriteMeanCommitMs, double PipelineTotalMs, double PipelineMeanCommitMs);

public sealed record TransactionsBenchmarkReport(
    string Plan,
    int Partitions,
    IReadOnlyList<ThroughputCell> Throughput,
    IReadOnlyList<PendingCell> Pending,
    IReadOnlyList<RewriteCell> Rewrite)
{
    /// <summary>p99 commit latency with the most pending over the fewest (target: at most 1.2).</summary>
    public double PendingP99Ratio => Pending.Count < 2 ? double.NaN : Pending[^1].CommitP99Ms / Pending[0].CommitP99Ms;

    public double PendingP50Ratio => Pending.Count < 2 ? double.NaN : Pending[^1].CommitP50Ms / Pending[0].CommitP50Ms;
}

/// <summary>
/// The transaction pipeline benchmark (not a test): durable prepare+commit transactions/s with p50/p99 commit latency and
/// the conflict rate for 1..1024 concurrent clients, for single-partition and for two-partition transactions on keys drawn
/// from a pool of <c>KeyPool</c> keys (a client that finds a key locked retries with other keys); commit latency with 100 and 100,000 pending transactions; and, side by side, the older
/// approach that rewrites the whole file on every commit. Every cell starts a fresh ActorSystem on a fresh WAL directory
/// under <c>root</c>, with durability = always (each acknowledgement is after fdatasync).
/// </summary>
public sealed class TransactionsBenchmark(TransactionsBenchmarkPlan plan, string root, IProgress<string>? progress = null)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMinutes(2);
    private int _cell;

    public async Task<TransactionsBenchmarkReport> RunAsync(CancellationToken ct = default)
    {
        var throughput = new List<ThroughputCell>();
        foreach (var shape in Enum.GetValues<TransactionShape>())
            foreach (var clients in plan.Clients)
                throughput.Add(await WithPipeline(coordinator => Throughput(coordinator, shape, clients, ct), $"{shape}, {clients} clients"));
        var pending = new List<PendingCell>();
        foreach (var count in plan.PendingCounts)
            pending.Add(await WithPipeline(coordinator => PendingLatency(coordinator, count, ct), $"{count} pending"));
        var rewrite = new List<RewriteCell>();
        foreach (var n in plan.RewriteSizes)
            rewrite.Add(await Rewrite(n, ct));
        return new TransactionsBenchmarkReport(plan.Name, plan.Partitions, throughput, pending, rewrite);
    }

    private async Task<T> WithPipeline<T>(Func<IActorRef, Task<T>> run, string what)
    {
        progress?.Report(what);
        var directory = Path.Combine(root, $"cell-{++_cell}");
        var config = ConfigurationFactory.ParseString($"""
                akka.loglevel = WARNING
                akkawal.transactions.compaction.interval = off
                akkawal.transactions.partitions = {plan.Partitions}
                """).WithFallback(TransactionsConfig.OnWal(directory));
        var system = ActorSystem.Create("bench-transactions", config);
        try
        {
            var coordinator = system.StartTransactions();
            await coordinator.Ask<InDoubtTransactions>(GetInDoubt.Instance, AskTimeout); // recovered
            return await run(coordinator);
        }
        finally
        {
            await system.Terminate();
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<ThroughputCell> Throughput(IActorRef coordinator, TransactionShape shape, int clients, CancellationToken ct)
    {
        var measuring = false;
        var stop = false;
        long prepares = 0, conflicts = 0;
        var latencies = new List<long>[clients];
        var keys = new TransactionKeyPool(plan.KeyPool, plan.Partitions);
        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<long>(4096);
            var random = new Random(c);
            for (var n = 0; !Volatile.Read(ref stop); n++)
            {
                var id = $"c{c}-{n}";
                var reply = await coordinator.Ask<ITransactionReply>(new Prepare(id, keys.Pick(shape, random).ToDictionary(k => k, _ => JsonSerializer.SerializeToElement(n))), AskTimeout);
                if (Volatile.Read(ref measuring))
                    Interlocked.Increment(ref prepares);
                if (reply is TransactionRejected { Reason: RejectionReason.LockConflict or RejectionReason.VersionMismatch })
                {
                    if (Volatile.Read(ref measuring))
                        Interlocked.Increment(ref conflicts);
                    continue;
                }
                if (reply is not Prepared)
                    throw new InvalidOperationException($"prepare {id} answered {reply}");
                var started = Stopwatch.GetTimestamp();
                await Expect<Committed>(coordinator, new Commit(id));
                if (Volatile.Read(ref measuring))
                    mine.Add(Stopwatch.GetTimestamp() - started);
            }
        }, ct)).ToArray();
        await Task.Delay(plan.Warmup, ct);
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(plan.CellDuration, ct);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(tasks);
        var count = latencies.Sum(l => l.Count);
        var (p50, p99) = LatencyPercentiles.Summarize(latencies);
        return new ThroughputCell(shape, clients, count / elapsed.TotalSeconds, p50 / 1000, p99 / 1000, count,
            prepares == 0 ? 0 : (double)conflicts / prepares);
    }

    private async Task<PendingCell> PendingLatency(IActorRef coordinator, int pending, CancellationToken ct)
    {
        await PrepareMany(coordinator, "pending-", pending, ct);
        var latencies = new List<long>(plan.CommitsPerPendingCell);
        for (var i = 0; i < plan.CommitsPerPendingCell; i++)
        {
            // The committed transaction is a fresh one, so the number pending stays the same throughout.
            var id = "measured-" + i;
            await Expect<Prepared>(coordinator, new Prepare(id, Changes(id, i)));
            var started = Stopwatch.GetTimestamp();
            await Expect<Committed>(coordinator, new Commit(id));
            latencies.Add(Stopwatch.GetTimestamp() - started);
        }
        var (p50, p99) = LatencyPercentiles.Summarize([latencies]);
        return new PendingCell(pending, latencies.Count, p50 / 1000, p99 / 1000);
    }

    private async Task<RewriteCell> Rewrite(int n, CancellationToken ct)
    {
        progress?.Report($"rewrite-per-commit, n = {n}");
        var directory = Path.Combine(root, $"legacy-{n}");
        Directory.CreateDirectory(directory);
        double rewriteTotal;
        try
        {
            var legacy = new LegacyRewriteLog(directory);
            for (var i = 0; i < n; i++)
                legacy.AddPrepared("t-" + i, $"{{\"balance:{i}\": {i}, \"note\": \"transfer {i}\"}}");
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
            {
                ct.ThrowIfCancellationRequested();
                legacy.Commit(i);
            }
            rewriteTotal = clock.Elapsed.TotalMilliseconds;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        var pipelineTotal = await WithPipeline(async coordinator =>
        {
            await PrepareMany(coordinator, "t-", n, ct);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
                await Expect<Committed>(coordinator, new Commit("t-" + i));
            return clock.Elapsed.TotalMilliseconds;
        }, $"pipeline, n = {n}");
        return new RewriteCell(n, rewriteTotal, rewriteTotal / n, pipelineTotal, pipelineTotal / n);
    }

    private async Task PrepareMany(IActorRef coordinator, string prefix, int count, CancellationToken ct)
    {
        const int window = 2000;
        for (var offset = 0; offset < count; offset += window)
        {
            ct.ThrowIfCancellationRequested();
            var batch = Enumerable.Range(offset, Math.Min(window, count - offset))
                .Select(i => Expect<Prepared>(coordinator, new Prepare(prefix + i, Changes(prefix + i, i))));
            await Task.WhenAll(batch);
        }
    }

    private static async Task Expect<T>(IActorRef coordinator, object message)
    {
        var reply = await coordinator.Ask<ITransactionReply>(message, AskTimeout);
        if (reply is not T)
            throw new InvalidOperationException($"{message} answered {reply}");
    }

    /// <summary>A transaction's own keys, both in one partition (the pending-latency and rewrite cells).</summary>
    private Dictionary<string, JsonElement> Changes(string id, int n) => new()
    {
        ["balance:" + id] = JsonSerializer.SerializeToElement(n),
        [KeyInPartition("note:" + id, PartitionHash.PartitionOf("balance:" + id, plan.Partitions), same: true)] = JsonSerializer.SerializeToElement("transfer"),
    };

    /// <summary><paramref name="key"/> with the smallest suffix that puts it in (or out of) <paramref name="partition"/>.</summary>
    private string KeyInPartition(string key, int partition, bool same)
    {
        for (var i = 0; ; i++)
        {
            var candidate = i == 0 ? key : key + "~" + i;
            if ((PartitionHash.PartitionOf(candidate, plan.Partitions) == partition) == same)
                return candidate;
        }
    }
}
