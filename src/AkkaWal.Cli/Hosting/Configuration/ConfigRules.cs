using Akka.Configuration;

namespace AkkaWal.Cli.Hosting.Configuration;

/// <summary>One key's rule: reads the value, returns null when it is allowed or the text of what is allowed.</summary>
internal sealed record ConfigRule(string Key, Func<Config, string, string?> Check);

/// <summary>The checks the rules are made of. Values are read with Akka's own getters, so "valid here" means "parses
/// the same way in the plugin"; every check also catches the getter's exceptions (wrong type, object instead of value).</summary>
internal static class ConfigRules
{
    public static ConfigRule PositiveByteSize(string key, long max = long.MaxValue) => new(key, (c, k) =>
        Read(() => c.GetByteSize(k)) is long v && v > 0 && v <= max
            ? null
            : $"a positive byte size such as 64MiB, 512KiB or 1048576{(max < long.MaxValue ? $", at most {max} bytes" : "")}");

    public static ConfigRule NonNegativeByteSize(string key) => new(key, (c, k) =>
        Read(() => c.GetByteSize(k)) is long v && v >= 0 ? null : "a byte size of 0 or more, such as 0, 256MiB or 1GiB");

    public static ConfigRule PositiveDuration(string key) => new(key, (c, k) =>
        Read(() => (TimeSpan?)c.GetTimeSpan(k, null, allowInfinite: false)) is { } v && v > TimeSpan.Zero
            ? null
            : "a positive duration such as 10ms, 5s or 5m");

    public static ConfigRule DurationOrOff(string key) => new(key, (c, k) =>
        Read(() => c.GetString(k)) is "off" || Read(() => (TimeSpan?)c.GetTimeSpan(k, null, allowInfinite: false)) is { } v && v >= TimeSpan.Zero
            ? null
            : "a duration such as 30s or 5m, or off");

    public static ConfigRule IntRange(string key, int min, int max) => new(key, (c, k) =>
        Read(() => (long?)long.Parse(c.GetString(k), System.Globalization.CultureInfo.InvariantCulture)) is long v && v >= min && v <= max
            ? null
            : max == int.MaxValue ? $"a whole number of at least {min}" : $"a whole number from {min} to {max}");

    public static ConfigRule LongAtLeast(string key, long min) => new(key, (c, k) =>
        Read(() => (long?)long.Parse(c.GetString(k), System.Globalization.CultureInfo.InvariantCulture)) is long v && v >= min
            ? null
            : $"a whole number of at least {min}");

    public static ConfigRule OneOf(string key, params string[] allowed) => new(key, (c, k) =>
        Read(() => c.GetString(k)) is { } v && allowed.Contains(v, StringComparer.Ordinal)
            ? null
            : "one of " + string.Join(", ", allowed));

    public static ConfigRule NonEmptyString(string key, string what) => new(key, (c, k) =>
        !string.IsNullOrWhiteSpace(Read(() => c.GetString(k))) ? null : what);

    public static ConfigRule AnyString(string key) => new(key, (c, k) =>
        Read(() => c.GetString(k)) is not null || !c.HasPath(k) ? null : "a string");

    /// <summary>A secret: empty (not used or generated) or long enough not to be guessed.</summary>
    public static ConfigRule Token(string key) => new(key, (c, k) =>
        Read(() => c.GetString(k)) is { } v && (v.Length == 0 || v.Trim().Length >= 16 && v.Trim() == v)
            ? null
            : "empty or a token of at least 16 characters without surrounding spaces");

    public static ConfigRule StringList(string key) => new(key, (c, k) =>
        Read(() => c.GetStringList(k)) is { } list && list.All(s => !string.IsNullOrWhiteSpace(s))
            ? null
            : "a list of non-empty strings, such as [\"wal.example.com\"]");

    /// <summary>The raw text of a value for error messages ("(missing)" when absent, "(object)" for a section).</summary>
    public static string Describe(Config config, string key)
    {
        if (!config.HasPath(key)) return "(missing)";
        var value = config.GetValue(key);
        if (value.IsObject()) return "(an object)";
        if (value.IsArray()) return "(a list)";
        return "'" + value.GetString() + "'";
    }

    private static T? Read<T>(Func<T?> read)
    {
        try { return read(); }
        catch (Exception)
        {
            return default; // any failure to read it as this kind of value makes it not allowed
        }
    }
}
