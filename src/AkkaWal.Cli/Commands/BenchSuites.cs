using AkkaWal.Benchmarks.Journal;
using AkkaWal.Benchmarks.Transactions;
using Spectre.Console;

namespace AkkaWal.Cli.Commands;

/// <summary>The benchmark suites of `akkawal bench --suite` besides the engine's: each prints its Markdown section and returns it.</summary>
internal static class BenchSuites
{
    public const string Engine = "engine", Journal = "journal", Transactions = "transactions", All = "all";

    public static readonly string[] Names = [Engine, Journal, Transactions, All];

    public static bool Includes(string suite, string name) => suite == name || suite == All;

    public static async Task<string> JournalAsync(IAnsiConsole console, bool quick, string root, CancellationToken ct)
    {
        var plan = quick ? JournalBenchmarkPlan.Quick : JournalBenchmarkPlan.Full;
        JournalBenchmarkReport report = null!;
        await console.Status().StartAsync("journal benchmark", async ctx =>
        {
            var progress = new Reporter(step => ctx.Status(Markup.Escape("journal: " + step)));
            report = await new JournalBenchmark(plan, Path.Combine(root, "journal"), progress).RunAsync(ct);
        });
        return Print(console, "Journal", JournalBenchmarkMarkdown.Render(report));
    }

    public static async Task<string> TransactionsAsync(IAnsiConsole console, bool quick, string root, CancellationToken ct)
    {
        var plan = quick ? TransactionsBenchmarkPlan.Quick : TransactionsBenchmarkPlan.Full;
        TransactionsBenchmarkReport report = null!;
        var directory = Path.Combine(root, "transactions");
        Directory.CreateDirectory(directory);
        await console.Status().StartAsync("transactions benchmark", async ctx =>
        {
            var progress = new Reporter(step => ctx.Status(Markup.Escape("transactions: " + step)));
            report = await new TransactionsBenchmark(plan, directory, progress).RunAsync(ct);
        });
        return Print(console, "Transactions", TransactionsBenchmarkMarkdown.Render(report));
    }

    private static string Print(IAnsiConsole console, string title, string markdown)
    {
        console.MarkupLine($"[bold]{title}[/]");
        console.WriteLine(markdown);
        return $"## {title}\n\n{markdown}";
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the pool and reorder updates).</summary>
    private sealed class Reporter(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
