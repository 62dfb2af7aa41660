using System.Text.Encodings.Web;
using System.Text.Json;

namespace AkkaWal.Cli.Output;

/// <summary>The --json form of the inspecting commands: one object on one line, camelCase names (documented in
/// docs/OPERATIONS.md; fields are only ever added).</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(object value) => JsonSerializer.Serialize(value, Options);
}
