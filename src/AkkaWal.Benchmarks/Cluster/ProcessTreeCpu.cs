using System.Diagnostics;
using System.Globalization;

namespace AkkaWal.Benchmarks.Cluster;

/// <summary>
/// CPU time (user + kernel) of processes and all their descendants, read from /proc: an `akkawal serve` node is one
/// process, a PostgreSQL server is its postmaster plus one backend per connection. A snapshot maps each process id to its
/// CPU time so far; <see cref="Used"/> sums what each process used between two snapshots (a process that appeared in
/// between counts whole, one that ended in between is missed).
/// </summary>
public static class ProcessTreeCpu
{
    public static IReadOnlyDictionary<int, TimeSpan> Snapshot(IEnumerable<int> roots)
    {
        var tree = Descendants(roots.ToHashSet());
        var cpu = new Dictionary<int, TimeSpan>();
        foreach (var pid in tree)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                cpu[pid] = process.TotalProcessorTime;
            }
            catch (ArgumentException) { } // ended meanwhile
            catch (InvalidOperationException) { }
        }
        return cpu;
    }

    public static TimeSpan Used(IReadOnlyDictionary<int, TimeSpan> before, IReadOnlyDictionary<int, TimeSpan> after) =>
        after.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Value - (before.TryGetValue(p.Key, out var start) && start <= p.Value ? start : TimeSpan.Zero));

    /// <summary>The roots and every process whose parent chain leads to one of them (from the ppid in /proc/PID/stat).</summary>
    private static HashSet<int> Descendants(HashSet<int> roots)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (ParentOf(dir) is not { } parent) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(pid);
        }
        var all = new HashSet<int>();
        var pending = new Stack<int>(roots);
        while (pending.TryPop(out var pid))
        {
            if (!all.Add(pid)) continue;
            if (children.TryGetValue(pid, out var list))
                foreach (var child in list) pending.Push(child);
        }
        return all;
    }

    /// <summary>The 4th field of /proc/PID/stat ("pid (comm) state ppid ..."); comm may hold spaces and parentheses, so
    /// the fields are counted from the last ')'.</summary>
    private static int? ParentOf(string procDirectory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(procDirectory, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) ? ppid : null;
        }
        catch (IOException) { return null; } // the process ended
        catch (UnauthorizedAccessException) { return null; }
    }
}
