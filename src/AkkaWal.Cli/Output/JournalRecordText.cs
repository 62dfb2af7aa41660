using System.Globalization;
using System.Text.Json;
using AkkaWal.Persistence.Journal;
using AkkaWal.Transactions.Serialization;

namespace AkkaWal.Cli.Output;

/// <summary>
/// What `dump` knows of a record written by the AkkaWal journal: the event's persistence id, sequence number, writer,
/// manifest, tags and timestamp (or a delete marker), and the pipeline's own events (TransactionsSerializer) as JSON.
/// Payloads of other serializers are shown as text or hex.
/// </summary>
internal static class JournalRecordText
{
    /// <summary>Decodes a journal record; null when the payload is not one (a plain engine log, or damaged).</summary>
    public static object? TryDecode(ReadOnlyMemory<byte> payload, long position)
    {
        try
        {
            return JournalRecordCodec.KindOf(payload.Span, position) switch
            {
                JournalRecordKind.Event => JournalRecordCodec.DecodeEvent(payload, position),
                JournalRecordKind.DeleteMarker => JournalRecordCodec.DecodeDeleteMarker(payload.Span, position),
                _ => null,
            };
        }
        catch (JournalFormatException)
        {
            return null;
        }
    }

    public static string Text(object record, int maxBytes) => record switch
    {
        EventRecord e => $"event pid={Quote(e.PersistenceId)} seq={e.SequenceNr} writer={e.WriterGuid} manifest={Quote(e.EventManifest)} " +
                         $"tags=[{string.Join(",", e.Tags.Select(Quote))}] timestamp={Timestamp(e.Timestamp)} " +
                         $"serializer={e.SerializerId}/{Quote(e.SerializerManifest)} " + (PipelineJson(e) ?? PayloadText.Format(e.Payload.Span, maxBytes)),
        DeleteMarker m => $"delete-marker pid={Quote(m.PersistenceId)} to={m.ToSequenceNr} highest={m.HighestSequenceNr}",
        _ => throw new ArgumentException($"not a journal record: {record.GetType().Name}", nameof(record)),
    };

    public static void WriteJson(Utf8JsonWriter w, object record, int maxBytes)
    {
        w.WriteStartObject("journal");
        switch (record)
        {
            case EventRecord e:
                w.WriteString("kind", "event");
                w.WriteString("persistenceId", e.PersistenceId);
                w.WriteNumber("sequenceNr", e.SequenceNr);
                w.WriteString("writer", e.WriterGuid);
                w.WriteString("manifest", e.EventManifest);
                w.WriteStartArray("tags");
                foreach (var tag in e.Tags) w.WriteStringValue(tag);
                w.WriteEndArray();
                w.WriteNumber("timestamp", e.Timestamp);
                w.WriteNumber("serializerId", e.SerializerId);
                w.WriteString("serializerManifest", e.SerializerManifest);
                if (PipelineJson(e) is { } json)
                {
                    w.WritePropertyName("event");
                    w.WriteRawValue(json);
                }
                else
                {
                    var shown = PayloadText.Show(e.Payload.Span, maxBytes);
                    w.WriteString(shown.IsText ? "text" : "hex", shown.Value);
                    if (shown.OmittedBytes > 0) w.WriteNumber("omittedBytes", shown.OmittedBytes);
                }
                break;
            case DeleteMarker m:
                w.WriteString("kind", "delete-marker");
                w.WriteString("persistenceId", m.PersistenceId);
                w.WriteNumber("toSequenceNr", m.ToSequenceNr);
                w.WriteNumber("highestSequenceNr", m.HighestSequenceNr);
                break;
        }
        w.WriteEndObject();
    }

    /// <summary>The pipeline's events are UTF-8 JSON under TransactionsSerializer: shown whole, on one line.</summary>
    private static string? PipelineJson(EventRecord e)
    {
        if (e.SerializerId != TransactionsSerializer.SerializerId) return null;
        try
        {
            using var document = JsonDocument.Parse(e.Payload);
            return JsonSerializer.Serialize(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Akka.NET timestamps are DateTime ticks (UTC); anything else is shown as the number it is.</summary>
    private static string Timestamp(long value) => value > 0 && value <= DateTime.MaxValue.Ticks
        ? new DateTime(value, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)
        : value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string s) => JsonSerializer.Serialize(s);
}
