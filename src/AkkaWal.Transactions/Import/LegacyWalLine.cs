using System.Text.Json;

namespace AkkaWal.Transactions.Import;

/// <summary>One understood line of a legacy JSON-lines WAL file (1-based line number).</summary>
internal abstract record LegacyWalLine(int LineNumber, string TxId);

/// <summary>Generation 1: the whole transaction on one line, with its committed flag.</summary>
internal sealed record LegacyTransactionLine(int LineNumber, string TxId, IReadOnlyDictionary<string, JsonElement> Changes, bool Committed)
    : LegacyWalLine(LineNumber, TxId);

/// <summary>Generation 2: <c>"op": "PREPARE"</c> with the changes.</summary>
internal sealed record LegacyPrepareLine(int LineNumber, string TxId, IReadOnlyDictionary<string, JsonElement> Changes)
    : LegacyWalLine(LineNumber, TxId);

/// <summary>Generation 2: <c>"op": "COMMIT"</c>.</summary>
internal sealed record LegacyCommitLine(int LineNumber, string TxId) : LegacyWalLine(LineNumber, TxId);

/// <summary>A line of a legacy file that cannot be imported; names the file and the line.</summary>
public sealed class LegacyWalFormatException(string file, int lineNumber, string reason)
    : Exception($"{file}:{lineNumber}: {reason}")
{
    /// <summary>The file's path.</summary>
    public string File { get; } = file;

    /// <summary>The 1-based number of the line.</summary>
    public int LineNumber { get; } = lineNumber;

    /// <summary>What is wrong with the line, without the file and line prefix.</summary>
    public string Reason { get; } = reason;
}
