using System.Text.Json;

namespace AkkaWal.Cli.Serve;

/// <summary>The body of POST /transactions: <c>{"id": "optional", "changes": {"key": any JSON, ...}}</c>.</summary>
internal sealed record PrepareRequest(string? Id, IReadOnlyDictionary<string, JsonElement> Changes)
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
                    default:
                        return (null, $"unknown field \"{field.Name}\": the fields are \"id\" and \"changes\"");
                }
            }
            if (changes is null)
                return (null, "\"changes\" is missing: a JSON object mapping keys to JSON values");
            return (new PrepareRequest(id, changes), null);
        }
    }
}
