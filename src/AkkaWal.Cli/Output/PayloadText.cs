using System.Text;

namespace AkkaWal.Cli.Output;

/// <summary>
/// Shows a payload safely on a terminal: as text when it is valid UTF-8 without control characters, else as hex;
/// cut after a limit with a marker saying how many bytes were left out.
/// </summary>
public static class PayloadText
{
    public const int DefaultMaxBytes = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The shown form of a payload.</summary>
    /// <param name="IsText">True: <see cref="Shown"/> is the text itself; false: lowercase hex.</param>
    /// <param name="OmittedBytes">Bytes past the limit that are not shown (0 when the payload is complete).</param>
    public readonly record struct Shown(bool IsText, string Value, int OmittedBytes);

    public static Shown Show(ReadOnlySpan<byte> payload, int maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var cut = Math.Min(payload.Length, maxBytes);
        var head = payload[..cut];
        var omitted = payload.Length - cut;
        if (TryPrintableText(head, cutInside: omitted > 0, out var text)) return new Shown(true, text, omitted + (cut - StrictUtf8.GetByteCount(text)));
        return new Shown(false, Convert.ToHexStringLower(head), omitted);
    }

    /// <summary>The one-field form used by `dump`: <c>"text"</c> (quoted, escaped) or <c>hex:0a1b...</c>, then the cut marker.</summary>
    public static string Format(ReadOnlySpan<byte> payload, int maxBytes = DefaultMaxBytes)
    {
        var shown = Show(payload, maxBytes);
        var value = shown.IsText ? Quote(shown.Value) : "hex:" + shown.Value;
        return shown.OmittedBytes > 0 ? $"{value}... (+{shown.OmittedBytes} bytes)" : value;
    }

    /// <summary>
    /// Valid UTF-8 with no control characters (tab excepted). When the cut falls inside a multi-byte character, the
    /// partial character is dropped from the shown text rather than making the whole payload hex.
    /// </summary>
    private static bool TryPrintableText(ReadOnlySpan<byte> bytes, bool cutInside, out string text)
    {
        text = "";
        var usable = bytes;
        if (cutInside) usable = bytes[..CompleteUtf8Prefix(bytes)];
        try
        {
            text = StrictUtf8.GetString(usable);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune) && rune.Value != '\t') return false;
            var category = Rune.GetUnicodeCategory(rune);
            if (category is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.Surrogate
                or System.Globalization.UnicodeCategory.PrivateUse or System.Globalization.UnicodeCategory.OtherNotAssigned
                or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator)
                return false;
        }
        return true;
    }

    /// <summary>Length of the prefix that ends on a UTF-8 character boundary (drops at most 3 trailing bytes).</summary>
    private static int CompleteUtf8Prefix(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(4, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80) continue;           // continuation byte: keep looking for the lead
            var need = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return need <= back ? bytes.Length : bytes.Length - back;
        }
        return bytes.Length;
    }

    private static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
