using Akka.Configuration;
using AkkaWal.Storage;

namespace AkkaWal.Persistence.Configuration;

/// <summary>
/// Reads one plugin's HOCON section (with the embedded reference.conf section as fallback) and turns every bad
/// value into a <see cref="ConfigurationException"/> that names the full key and what is allowed.
/// There are no defaults here: a key missing from both the user's section and reference.conf is an error.
/// </summary>
internal sealed class PluginConfigReader
{
    private readonly Config _config;
    private readonly string _pluginId;

    public PluginConfigReader(Config section, string pluginId, string referenceSection)
    {
        _pluginId = pluginId;
        _config = (section ?? Config.Empty).WithFallback(WalPersistence.DefaultConfiguration().GetConfig(referenceSection));
    }

    public string Key(string key) => $"{_pluginId}.{key}";

    public string String(string key, bool allowEmpty = false)
    {
        var value = Raw(key);
        if (!allowEmpty && string.IsNullOrWhiteSpace(value))
            throw Invalid(key, value, "a non-empty string");
        return value;
    }

    public long PositiveByteSize(string key, long max = long.MaxValue) => ByteSize(key, 1, max);

    public long ByteSize(string key, long min, long max)
    {
        var raw = Raw(key);
        long? value;
        try { value = _config.GetByteSize(key); }
        catch (Exception e) { throw Invalid(key, raw, $"a byte size such as 64MiB ({e.Message})"); }
        if (value is null || value < min || value > max)
            throw Invalid(key, raw, $"a byte size from {min} to {max} bytes");
        return value.Value;
    }

    public bool Bool(string key)
    {
        var raw = Raw(key);
        return raw.Trim().ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw Invalid(key, raw, "on or off"),
        };
    }

    public int PositiveInt(string key)
    {
        var raw = Raw(key);
        if (!int.TryParse(raw, out var value) || value <= 0)
            throw Invalid(key, raw, $"a whole number from 1 to {int.MaxValue}");
        return value;
    }

    public TimeSpan PositiveDuration(string key)
        => OptionalDuration(key) ?? throw Invalid(key, Raw(key), "a positive duration such as 10ms or 5s (`off` is not allowed here)");

    /// <summary>A positive duration, or null for `off`.</summary>
    public TimeSpan? OptionalDuration(string key)
    {
        var raw = Raw(key);
        if (raw.Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        TimeSpan value;
        try { value = _config.GetTimeSpan(key, null, allowInfinite: false); }
        catch (Exception e) { throw Invalid(key, raw, $"a duration such as 10ms or 5m ({e.Message})"); }
        if (value <= TimeSpan.Zero) throw Invalid(key, raw, "a positive duration such as 10ms or 5m");
        return value;
    }

    /// <summary>One of a fixed set of lower-case names, mapped to values.</summary>
    public T OneOf<T>(string key, IReadOnlyDictionary<string, T> allowed)
    {
        var raw = Raw(key);
        if (allowed.TryGetValue(raw.Trim().ToLowerInvariant(), out var value)) return value;
        throw Invalid(key, raw, "one of " + string.Join(", ", allowed.Keys));
    }

    /// <summary>A directory path, made absolute and created durably (parents fsynced) if missing.</summary>
    public string Directory(string key)
    {
        var raw = String(key);
        try
        {
            var full = Path.GetFullPath(raw);
            DurableDirectory.Create(PhysicalFileSystem.Instance, full);
            return full;
        }
        catch (Exception e)
        {
            throw Invalid(key, raw, $"a directory that exists or can be created ({e.GetType().Name}: {e.Message})");
        }
    }

    private string Raw(string key)
    {
        if (!_config.HasPath(key))
            throw new ConfigurationException($"{Key(key)} is missing (it has a default in AkkaWal's reference.conf; was that section replaced?)");
        return _config.GetString(key) ?? "";
    }

    private ConfigurationException Invalid(string key, string raw, string allowed)
        => new($"{Key(key)} = \"{raw}\" is invalid: expected {allowed}");
}
