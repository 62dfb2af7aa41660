using AkkaWal.Storage;

namespace AkkaWal.Cli.Output;

/// <summary>The names dump prints for frame types (stable: scripts parse them).</summary>
internal static class RecordTypeNames
{
    public static string Of(RecordType type) => type switch
    {
        RecordType.Full => "full",
        RecordType.BatchFirst => "batch-first",
        RecordType.BatchMiddle => "batch-middle",
        RecordType.BatchLast => "batch-last",
        RecordType.Padding => "padding",
        _ => $"type-{(byte)type}",
    };
}
