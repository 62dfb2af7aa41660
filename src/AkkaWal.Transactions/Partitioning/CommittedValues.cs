using System.Text.Json;
using AkkaWal.Transactions.Protocol;

namespace AkkaWal.Transactions.Partitioning;

/// <summary>Key -> committed value, where the higher commit number wins. Applying the same commits in any order gives the
/// same state, which is what lets partitions replay independently and the coordinator merge them.</summary>
public sealed class CommittedValues
{
    private readonly Dictionary<string, VersionedValue> _values = new(StringComparer.Ordinal);

    public int Count => _values.Count;

    public IReadOnlyDictionary<string, VersionedValue> Entries => _values;

    public void Apply(IReadOnlyDictionary<string, JsonElement> changes, long commitOrder)
    {
        foreach (var (key, value) in changes)
            Set(key, new VersionedValue(value, commitOrder));
    }

    public void Set(string key, VersionedValue value)
    {
        if (!_values.TryGetValue(key, out var current) || current.CommitOrder <= value.CommitOrder)
            _values[key] = value;
    }

    public void Merge(IEnumerable<KeyValuePair<string, VersionedValue>> values)
    {
        foreach (var (key, value) in values)
            Set(key, value);
    }

    public bool TryGet(string key, out JsonElement value)
    {
        if (_values.TryGetValue(key, out var versioned))
        {
            value = versioned.Value;
            return true;
        }
        value = default;
        return false;
    }
}
