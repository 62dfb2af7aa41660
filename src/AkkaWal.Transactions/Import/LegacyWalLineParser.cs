using System.Text.Json;

namespace AkkaWal.Transactions.Import;

/// <summary>Turns the text of one line into a <see cref="LegacyWalLine"/>. Unknown fields are ignored.</summary>
internal static class LegacyWalLineParser
{
    /// <summary>The line is not complete JSON (what a torn last line looks like).</summary>
    public sealed class NotJsonException(string reason) : Exception(reason);

    /// <summary>The line is JSON but not a line of the format (wrong type or missing field).</summary>
    public sealed class BadLineException(string reason) : Exception(reason);

    /// <summary>The line names an <c>op</c> this reader does not know: never skipped, since its meaning is unknown.</summary>
    public sealed class UnknownOpException(string op) : Exception($"unknown op '{op}' (known: PREPARE, COMMIT)");

    public static LegacyWalLine Parse(string text, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            // JsonException's own message counts lines inside this one line (always 0): give the column instead.
            throw new NotJsonException($"not valid JSON at byte {(e.BytePositionInLine ?? 0) + 1} of the line");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new BadLineException($"expected a JSON object, found {root.ValueKind}");
            var txId = RequiredString(root, "tx_id");
            if (!root.TryGetProperty("op", out var op))
                return new LegacyTransactionLine(lineNumber, txId, RequiredChanges(root), RequiredBool(root, "committed"));
            if (op.ValueKind != JsonValueKind.String)
                throw new BadLineException($"field 'op' must be a string, found {op.ValueKind}");
            return op.GetString() switch
            {
                "PREPARE" => new LegacyPrepareLine(lineNumber, txId, RequiredChanges(root)),
                "COMMIT" => new LegacyCommitLine(lineNumber, txId),
                var other => throw new UnknownOpException(other!),
            };
        }
    }

    private static string RequiredString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new BadLineException($"field '{name}' must be a string");

    private static bool RequiredBool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new BadLineException($"field '{name}' must be true or false");

    private static Dictionary<string, JsonElement> RequiredChanges(JsonElement root)
    {
        if (!root.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Object)
            throw new BadLineException("field 'changes' must be a JSON object");
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var change in changes.EnumerateObject())
            if (!result.TryAdd(change.Name, change.Value.Clone())) // the document is disposed when this line is done
                throw new BadLineException($"'changes' names the key '{change.Name}' twice");
        return result;
    }
}
