using System.Text.Json;

namespace AkkaWal.Transactions.Import;

/// <summary>A transaction found in a legacy file. <paramref name="DecisiveLine"/> is the line that committed it (or
/// defined it, if in doubt): importing in that order makes later commits win, as they did in the old service.</summary>
internal sealed record LegacyTransaction(
    string TxId,
    IReadOnlyDictionary<string, JsonElement> Changes,
    bool Committed,
    string File,
    int DefinedAtLine,
    int DecisiveLine);

/// <summary>What one file holds and what the reader reported about it.</summary>
/// <param name="File">The file's path.</param>
/// <param name="Committed">Transactions the file commits.</param>
/// <param name="InDoubt">Transactions the file prepares and never commits: imported as in-doubt (prepared, keys locked).</param>
/// <param name="OrphanCommits">COMMIT lines naming no transaction of the file: ignored.</param>
/// <param name="RedundantCommits">COMMIT lines of a transaction committed already: ignored.</param>
/// <param name="TornTailLine">The last line, when it is not complete JSON (a write cut short): ignored.</param>
/// <param name="OrphanTxIds">The ids the orphan COMMIT lines name.</param>
/// <param name="BadLines">The lines skipped as bad (only with skip-bad-lines).</param>
public sealed record LegacyFileReport(
    string File,
    int Committed,
    int InDoubt,
    int OrphanCommits,
    int RedundantCommits,
    int? TornTailLine,
    IReadOnlyList<string> OrphanTxIds,
    IReadOnlyList<LegacyBadLine> BadLines);

/// <summary>A line skipped as bad.</summary>
/// <param name="Line">Its 1-based number.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record LegacyBadLine(int Line, string Reason);

internal sealed record LegacyFileContent(LegacyFileReport Report, IReadOnlyList<LegacyTransaction> Transactions);

/// <summary>
/// Applies the format's rules to the lines of one file: a transaction is committed if its generation-1 line says so or
/// any COMMIT names it (before or after its PREPARE); a COMMIT of a committed transaction is redundant; a COMMIT naming
/// no transaction of the file is an orphan. A transaction defined twice must have the same changes both times.
/// </summary>
internal static class LegacyWalInterpreter
{
    private sealed class Builder(LegacyTransaction first)
    {
        public LegacyTransaction Tx = first;
    }

    public static LegacyFileContent Read(string path, bool skipBadLines)
    {
        var reader = new LegacyWalReader(path, skipBadLines);
        var transactions = new Dictionary<string, Builder>(StringComparer.Ordinal);
        var commitsBeforeDefinition = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var conflicts = new List<LegacyBadLine>();
        var redundant = 0;

        foreach (var line in reader.Lines())
        {
            switch (line)
            {
                case LegacyCommitLine commit when transactions.TryGetValue(commit.TxId, out var known):
                    if (known.Tx.Committed)
                        redundant++;
                    else
                        known.Tx = known.Tx with { Committed = true, DecisiveLine = commit.LineNumber };
                    break;
                case LegacyCommitLine commit:
                    if (!commitsBeforeDefinition.TryGetValue(commit.TxId, out var early))
                        commitsBeforeDefinition[commit.TxId] = early = [];
                    early.Add(commit.LineNumber);
                    break;
                default:
                    var (changes, committed) = line switch
                    {
                        LegacyTransactionLine g => (g.Changes, g.Committed),
                        LegacyPrepareLine p => (p.Changes, false),
                        _ => throw new InvalidOperationException("unexpected line type " + line.GetType().Name),
                    };
                    if (transactions.TryGetValue(line.TxId, out var defined))
                    {
                        if (!SameChanges(defined.Tx.Changes, changes))
                        {
                            var reason = $"tx '{line.TxId}' is defined again with different changes (first at line {defined.Tx.DefinedAtLine})";
                            if (!skipBadLines)
                                throw new LegacyWalFormatException(path, line.LineNumber, reason + " (use --skip-bad-lines to skip it)");
                            conflicts.Add(new LegacyBadLine(line.LineNumber, reason));
                        }
                        else if (committed && defined.Tx.Committed)
                            redundant++;
                        else if (committed)
                            defined.Tx = defined.Tx with { Committed = true, DecisiveLine = line.LineNumber };
                        break;
                    }
                    var tx = new LegacyTransaction(line.TxId, changes, committed, path, line.LineNumber, line.LineNumber);
                    if (commitsBeforeDefinition.Remove(line.TxId, out var earlyCommits))
                    {
                        // COMMIT lines above the definition: the first commits it (unless it is committed already).
                        redundant += tx.Committed ? earlyCommits.Count : earlyCommits.Count - 1;
                        if (!tx.Committed)
                            tx = tx with { Committed = true, DecisiveLine = earlyCommits[0] };
                    }
                    transactions[line.TxId] = new Builder(tx);
                    break;
            }
        }

        var ordered = transactions.Values.Select(b => b.Tx).OrderBy(t => t.DecisiveLine).ToArray();
        var committedCount = ordered.Count(t => t.Committed);
        var report = new LegacyFileReport(
            path,
            committedCount,
            ordered.Length - committedCount,
            commitsBeforeDefinition.Values.Sum(lines => lines.Count),
            redundant,
            reader.TornTailLine,
            commitsBeforeDefinition.Keys.Order(StringComparer.Ordinal).ToArray(),
            reader.BadLines.Select(b => new LegacyBadLine(b.Line, b.Reason)).Concat(conflicts).OrderBy(b => b.Line).ToArray());
        return new LegacyFileContent(report, ordered);
    }

    public static bool SameChanges(IReadOnlyDictionary<string, JsonElement> a, IReadOnlyDictionary<string, JsonElement> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && JsonElement.DeepEquals(kv.Value, other));
}
