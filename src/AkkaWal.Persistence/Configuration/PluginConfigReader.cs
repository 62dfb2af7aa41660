using Akka.Configuration;
using AkkaWal.Storage;

namespace AkkaWal.Persistence.Configuration;

/// <summary>
/// Reads one HOCON section (with its embedded reference section as fallback) and collects every bad value as a
/// problem that names the full key, the value found and what is allowed, so one start reports every bad key at once.
/// A getter whose value is bad records the problem and returns a placeholder; callers finish with
/// <see cref="ThrowIfInvalid"/> (the plugin at start) or hand <see cref="Problems"/> to a validator (a host before start).
/// There are no defaults here: a key missing from both the user's section and the reference is a problem.
/// </summary>
internal sealed class PluginConfigReader
{
    private readonly Config _config;
    private readonly string _sectionPath;
    private readonly List<string> _problems = [];

    /// <param name="section">The section as configured (may be empty).</param>
    /// <param name="sectionPath">Its full path, used to name keys in problems (e.g. akka.persistence.journal.wal).</param>
    /// <param name="reference">The reference section: every key with its default.</param>
    public PluginConfigReader(Config? section, string sectionPath, Config reference)
    {
        _sectionPath = sectionPath;
        _config = (section ?? Config.Empty).WithFallback(reference);
    }

    /// <summary>The reference section of one of the plugins (from the embedded reference.conf).</summary>
    public static Config PluginReference(string referenceSection) => WalPersistence.DefaultConfiguration().GetConfig(referenceSection);

    public IReadOnlyList<string> Problems => _problems;

    public string Key(string key) => $"{_sectionPath}.{key}";

    /// <summary>Whether a problem already names <paramref name="key"/> (so a rule over several keys does not repeat it).</summary>
    public bool HasProblem(string key) => _problems.Any(p => p.Contains(Key(key), StringComparison.Ordinal));

    /// <summary>Records a problem found outside the getters (a rule between two keys, the engine's own checks).</summary>
    public void Problem(string message) => _problems.Add(message);

    /// <summary>Throws one <see cref="WalConfigurationException"/> naming every problem, if there is any.</summary>
    public void ThrowIfInvalid()
    {
        if (_problems.Count > 0) throw new WalConfigurationException(_problems);
    }

    public string String(string key, bool allowEmpty = false)
    {
        var value = Raw(key);
        if (value is null) return "";
        if (!allowEmpty && string.IsNullOrWhiteSpace(value))
            Invalid(key, value, "a non-empty string");
        return value;
    }

    public long PositiveByteSize(string key, long max = long.MaxValue) => ByteSize(key, 1, max);

    public long ByteSize(string key, long min, long max)
    {
        var raw = Raw(key);
        if (raw is null) return min;
        long? value;
        try { value = _config.GetByteSize(key); }
        catch (Exception e) { return Invalid(key, raw, $"a byte size such as 64MiB ({e.Message})", min); }
        if (value is null || value < min || value > max)
            return Invalid(key, raw, $"a byte size from {min} to {max} bytes", min);
        return value.Value;
    }

    public int PositiveInt(string key) => (int)Long(key, 1, int.MaxValue);

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public long Long(string key, long min, long max)
    {
        var raw = Raw(key);
        if (raw is null) return min;
        if (!long.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ||
            value < min || value > max)
            return Invalid(key, raw, $"a whole number from {min} to {max}", min);
        return value;
    }

    /// <summary>A positive duration (<c>off</c> is not allowed).</summary>
    public TimeSpan PositiveDuration(string key) => Duration(key, allowOff: false) ?? TimeSpan.FromSeconds(1);

    /// <summary>A positive duration, or null for <c>off</c>.</summary>
    public TimeSpan? OptionalDuration(string key) => Duration(key, allowOff: true);

    private TimeSpan? Duration(string key, bool allowOff)
    {
        var raw = Raw(key);
        if (raw is null) return null;
        var allowed = allowOff ? "a positive duration such as 10ms or 5m, or off" : "a positive duration such as 10ms or 5s (off is not allowed here)";
        if (raw.Trim().Equals("off", StringComparison.OrdinalIgnoreCase))
            return allowOff ? null : Invalid<TimeSpan?>(key, raw, allowed, null);
        TimeSpan value;
        try { value = _config.GetTimeSpan(key, null, allowInfinite: false); }
        catch (Exception) { return Invalid<TimeSpan?>(key, raw, allowed, null); }
        return value > TimeSpan.Zero ? value : Invalid<TimeSpan?>(key, raw, allowed, null);
    }

    /// <summary>One of a fixed set of lower-case names, mapped to values.</summary>
    public T OneOf<T>(string key, IReadOnlyDictionary<string, T> allowed)
    {
        var raw = Raw(key);
        if (raw is not null && allowed.TryGetValue(raw.Trim().ToLowerInvariant(), out var value)) return value;
        if (raw is not null) Invalid(key, raw, "one of " + string.Join(", ", allowed.Keys));
        return allowed.Values.First();
    }

    /// <summary>A directory path, made absolute; created durably (parents fsynced) if missing when <paramref name="create"/>
    /// (the plugin at start), only checked when not (a validator must not leave directories behind).</summary>
    public string Directory(string key, bool create)
    {
        var raw = String(key);
        if (string.IsNullOrWhiteSpace(raw)) return raw;
        try
        {
            var full = Path.GetFullPath(raw);
            if (create) DurableDirectory.Create(PhysicalFileSystem.Instance, full);
            return full;
        }
        catch (Exception e)
        {
            return Invalid(key, raw, $"a directory that exists or can be created ({e.GetType().Name}: {e.Message})", raw);
        }
    }

    private string? Raw(string key)
    {
        if (!_config.HasPath(key))
        {
            _problems.Add($"{Key(key)} is missing (it has a default in the reference configuration; was that section replaced?)");
            return null;
        }
        var value = _config.GetValue(key);
        if (value.IsObject() || value.IsArray())
        {
            _problems.Add($"{Key(key)} is invalid: expected a single value, not an object or a list");
            return null;
        }
        return value.GetString() ?? "";
    }

    private void Invalid(string key, string raw, string allowed) => _problems.Add($"{Key(key)} = \"{raw}\" is invalid: expected {allowed}");

    private T Invalid<T>(string key, string raw, string allowed, T placeholder)
    {
        Invalid(key, raw, allowed);
        return placeholder;
    }
}
