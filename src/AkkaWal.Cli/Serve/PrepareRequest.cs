using System.Text.Json;

namespace AkkaWal.Cli.Serve;

/// <summary>The body of POST /transactions: <c>{"id": "optional", "changes": {"key": any JSON, ...}, "expect": {"key": version, ...}}</c>
/// (expect is optional; version 0 means the key must not exist).</summary>
internal sealed record PrepareRequest(string? Id, IReadOnlyDictionary<string, JsonElement> Changes, IReadOnlyDictionary<string, long>? Expect = null)
{
    /// <summary>Parses and checks the shape; returns null and an error text naming the field when it is wrong.</summary>
    public static async Task<(PrepareRequest? Request, string? Error)> ReadAsync(Stream body, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, "the body must be a JSON object with \"changes\" and optionally \"id\"");
            string? id = null;
            Dictionary<string, JsonElement>? changes = null;
            Dictionary<string, long>? expect = null;
            foreach (var field in root.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "id" when field.Value.ValueKind == JsonValueKind.String:
                        id = field.Value.GetString();
                        break;
                    case "id" when field.Value.ValueKind == JsonValueKind.Null:
                        break;
                    case "id":
                        return (null, "\"id\" must be a string");
                    case "changes" when field.Value.ValueKind == JsonValueKind.Object:
                        changes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                        foreach (var change in field.Value.EnumerateObject())
                            if (!changes.TryAdd(change.Name, change.Value.Clone()))
                                return (null, $"\"changes\" names the key \"{change.Name}\" twice");
                        break;
                    case "changes":
                        return (null, "\"changes\" must be a JSON object mapping keys to JSON values");
                    case "expect" when field.Value.ValueKind == JsonValueKind.Object:
                        expect = new Dictionary<string, long>(StringComparer.Ordinal);
                        foreach (var expected in field.Value.EnumerateObject())
                        {
                            if (expected.Value.ValueKind != JsonValueKind.Number || !expected.Value.TryGetInt64(out var version) || version < 0)
                                return (null, $"\"expect\" maps \"{expected.Name}\" to {expected.Value.GetRawText()}; a version is an integer, 0 or more (0: the key must not exist)");
                            if (!expect.TryAdd(expected.Name, version))
                                return (null, $"\"expect\" names the key \"{expected.Name}\" twice");
                        }
                        break;
                    case "expect" when field.Value.ValueKind == JsonValueKind.Null:
                        break;
                    case "expect":
                        return (null, "\"expect\" must be a JSON object mapping keys to versions");
                    default:
                        return (null, $"unknown field \"{field.Name}\": the fields are \"id\", \"changes\" and \"expect\"");
                }
            }
            if (changes is null)
                return (null, "\"changes\" is missing: a JSON object mapping keys to JSON values");
            return (new PrepareRequest(id, changes, expect), null);
        }
    }
}
