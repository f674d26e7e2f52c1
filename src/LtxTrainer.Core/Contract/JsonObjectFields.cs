using System.Collections;

namespace LtxTrainer.Core.Contract;

/// <summary>
/// A JSON object's members in document order. JSON allows a key twice; a dictionary would silently keep
/// one, so this keeps all and exposes them for the validator's duplicate check (<see cref="Members"/>),
/// while the dictionary view returns the last one as most JSON readers do.
/// </summary>
public sealed class JsonObjectFields : IReadOnlyDictionary<string, object?>
{
    private readonly Dictionary<string, object?> _last = new(StringComparer.Ordinal);

    public JsonObjectFields(IReadOnlyList<(string Name, object? Value)> members)
    {
        Members = members;
        foreach (var (name, value) in members) _last[name] = value;
    }

    /// <summary>Every member as written, duplicates included.</summary>
    public IReadOnlyList<(string Name, object? Value)> Members { get; }

    public object? this[string key] => _last[key];
    public IEnumerable<string> Keys => Members.Select(m => m.Name);
    public IEnumerable<object?> Values => Members.Select(m => m.Value);
    public int Count => Members.Count;
    public bool ContainsKey(string key) => _last.ContainsKey(key);
    public bool TryGetValue(string key, out object? value) => _last.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() =>
        Members.Select(m => new KeyValuePair<string, object?>(m.Name, m.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
