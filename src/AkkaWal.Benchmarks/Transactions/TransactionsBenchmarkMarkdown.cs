using System.Globalization;
using System.Text;

namespace AkkaWal.Benchmarks.Transactions;

/// <summary>Renders a <see cref="TransactionsBenchmarkReport"/> as the Transactions section of docs/BENCHMARKS.md.</summary>
public static class TransactionsBenchmarkMarkdown
{
    public static string Render(TransactionsBenchmarkReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Plan `{report.Plan}`, {report.Partitions} partitions; durability = always (every acknowledgement after fdatasync).");
        md.AppendLine();
        md.AppendLine("Durable prepare+commit transactions on keys drawn from a shared pool, commit latency from request to `Committed`. " +
                      "Single-partition: one PREPARE and one COMMIT record. Two-partition: two shares, one decision at the home, one apply. " +
                      "Conflict rate: prepares refused because a key was locked (the client retries with other keys):");
        md.AppendLine();
        md.AppendLine("| shape | clients | transactions/s | commit p50 (ms) | commit p99 (ms) | conflict rate |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in report.Throughput)
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {(c.Shape == TransactionShape.SinglePartition ? "single-partition" : "two-partition")} | {c.Clients} | {c.TransactionsPerSecond:N0} | {c.CommitP50Ms:F2} | {c.CommitP99Ms:F2} | {c.ConflictRate:P1} |");
        md.AppendLine();
        md.AppendLine("Commit latency with many transactions pending (one client; each measured transaction is prepared, then committed):");
        md.AppendLine();
        md.AppendLine("| pending | commits | p50 (ms) | p99 (ms) |");
        md.AppendLine("| ---: | ---: | ---: | ---: |");
        foreach (var p in report.Pending)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {p.Pending:N0} | {p.Commits} | {p.CommitP50Ms:F3} | {p.CommitP99Ms:F3} |");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Ratio most/fewest pending: p50 {report.PendingP50Ratio:F2}, p99 {report.PendingP99Ratio:F2} (target: at most 1.2).");
        md.AppendLine();
        md.AppendLine("n transactions pending, then all n committed one after the other: the older service's rewrite of the whole file per " +
                      "commit (generation 1: temp file, write, fsync, rename, fsync of the directory) against the pipeline's one COMMIT record:");
        md.AppendLine();
        md.AppendLine("| n | rewrite: total (ms) | rewrite: per commit (ms) | pipeline: total (ms) | pipeline: per commit (ms) |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in report.Rewrite)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.N:N0} | {r.RewriteTotalMs:N0} | {r.RewriteMeanCommitMs:F2} | {r.PipelineTotalMs:N0} | {r.PipelineMeanCommitMs:F2} |");
        return md.ToString();
    }
}
