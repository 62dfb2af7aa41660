using System.Globalization;
using System.Text.Json;

namespace AkkaWal.Hosting.Configuration;

/// <summary>Renders .NET values as HOCON values, so options classes emit exactly the strings the plugins parse.</summary>
internal static class HoconText
{
    /// <summary>A quoted HOCON string (JSON escaping is valid HOCON).</summary>
    public static string Quote(string value) => JsonSerializer.Serialize(value);

    public static string Duration(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerMillisecond == 0
            ? ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms"
            : (value.Ticks * 100).ToString(CultureInfo.InvariantCulture) + "ns";

    /// <summary>A duration, or <c>off</c> for zero (the keys that accept <c>off</c>).</summary>
    public static string DurationOrOff(TimeSpan value) => value <= TimeSpan.Zero ? "off" : Duration(value);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "on" : "off";

    /// <summary>A value given as text by an operator (environment, --set): quoted unless it is already HOCON structure
    /// or a quoted string, so sizes, durations, paths and words all arrive as the plugin expects.</summary>
    public static string OperatorValue(string raw)
    {
        var trimmed = raw.Trim();
        return trimmed.StartsWith('"') || trimmed.StartsWith('[') || trimmed.StartsWith('{') ? trimmed : Quote(trimmed);
    }
}
