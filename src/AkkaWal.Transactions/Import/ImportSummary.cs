using System.Text.Json;
using System.Text.Json.Serialization;

namespace AkkaWal.Transactions.Import;

/// <summary>The outcome of an import. The first six counts describe the files (the same on every run); <see cref="Written"/>
/// and <see cref="AlreadyPresent"/> say what this run changed (a second import of the same files writes nothing).</summary>
/// <param name="Committed">Committed transactions in all files.</param>
/// <param name="InDoubt">Transactions prepared and never committed in any file (imported as in-doubt).</param>
/// <param name="OrphanCommits">COMMIT lines naming no transaction of their file.</param>
/// <param name="RedundantCommits">COMMIT lines of transactions committed already.</param>
/// <param name="TornTail">Files whose last line was torn.</param>
/// <param name="BadLines">Lines skipped as bad.</param>
/// <param name="Written">Transactions this run wrote to the WAL (prepared, committed or both).</param>
/// <param name="AlreadyPresent">Transactions the WAL already held as the files say (nothing written for them).</param>
/// <param name="Files">One report per file, in the order given.</param>
public sealed record ImportSummary(
    int Committed,
    int InDoubt,
    int OrphanCommits,
    int RedundantCommits,
    int TornTail,
    int BadLines,
    int Written,
    int AlreadyPresent,
    IReadOnlyList<LegacyFileReport> Files)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>One JSON object: committed, inDoubt, orphanCommits, redundantCommits, tornTail, badLines, written,
    /// alreadyPresent and the per-file reports.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Human-readable lines, one per file and one total.</summary>
    public IEnumerable<string> ToText()
    {
        foreach (var file in Files)
        {
            yield return $"{file.File}: {file.Committed} committed, {file.InDoubt} in doubt, {file.OrphanCommits} orphan COMMITs" +
                         (file.OrphanTxIds.Count > 0 ? $" ({string.Join(", ", file.OrphanTxIds)})" : "") +
                         $", {file.RedundantCommits} redundant COMMITs" +
                         (file.TornTailLine is { } torn ? $", torn last line {torn} ignored" : "") +
                         (file.BadLines.Count > 0 ? $", {file.BadLines.Count} bad lines skipped ({string.Join(", ", file.BadLines.Select(b => b.Line))})" : "");
        }
        yield return $"total: {Committed} committed, {InDoubt} in doubt, {OrphanCommits} orphan COMMITs, {RedundantCommits} redundant COMMITs, " +
                     $"{TornTail} torn tails, {BadLines} bad lines; {Written} transactions written, {AlreadyPresent} already present";
    }
}
