using System.Globalization;
using System.Text;

namespace AkkaWal.Benchmarks.Persistence;

/// <summary>The persistence benchmark as a Markdown table (the format of docs/BENCHMARKS.md).</summary>
public static class PersistenceBenchmarkMarkdown
{
    public static string Render(PersistenceBenchPlan plan, string root, IReadOnlyList<PersistenceBenchRow> rows)
    {
        var m = MachineInfo.Describe(root);
        var sb = new StringBuilder();
        sb.AppendLine($"Plan `{plan.Name}`; {m.Processors} cores, {m.CpuModel}, {m.FileSystem}, {m.Runtime}" +
                      $"{(m.OptimizedBuild ? "" : " (Debug build: not for publishing)")}; AkkaWal with `durability = always` " +
                      "(fdatasync before every acknowledgement), SQLite with its defaults.");
        sb.AppendLine();
        sb.AppendLine("| workload | journal | events | seconds | events/s |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var r in rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Workload} | {r.Journal} | {r.Events:N0} | {r.Seconds:F3} | {r.EventsPerSecond:N0} |"));
        return sb.ToString();
    }
}
