using System.Text.Json;
using LtxTrainer.Core.Checkpoints;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// Typed reads of optional config keys with defaults; a present key of the wrong type is an error that
/// names its full path (e.g. <c>config.vocoder.bwe.hop_length</c>).
/// </summary>
public sealed class ConfigReader
{
    private readonly string _description;
    private readonly string _root;

    public ConfigReader(string description, string root)
    {
        _description = description;
        _root = root;
    }

    /// <summary>Nested object by path, or null when any step is missing.</summary>
    public JsonElement? Object(JsonElement? parent, params string[] path)
    {
        var cur = parent;
        foreach (var p in path)
        {
            if (cur is not { ValueKind: JsonValueKind.Object } o || !o.TryGetProperty(p, out var next)) return null;
            if (next.ValueKind != JsonValueKind.Object) throw Error(p, $"expected an object, found {next.ValueKind}.");
            cur = next;
        }
        return cur;
    }

    public int? OptionalInt(JsonElement? parent, string key)
    {
        if (!TryGet(parent, key, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var v) && v == Math.Floor(v) && Math.Abs(v) <= int.MaxValue)
            return (int)v;
        throw Error(key, $"expected an integer, found {e.GetRawText()}.");
    }

    public int Int(JsonElement? parent, string key, int fallback) => OptionalInt(parent, key) ?? fallback;

    public bool Bool(JsonElement? parent, string key, bool fallback)
    {
        if (!TryGet(parent, key, out var e) || e.ValueKind == JsonValueKind.Null) return fallback;
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(key, $"expected true or false, found {e.GetRawText()}."),
        };
    }

    public string String(JsonElement? parent, string key, string fallback)
    {
        if (!TryGet(parent, key, out var e) || e.ValueKind == JsonValueKind.Null) return fallback;
        return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error(key, $"expected a string, found {e.GetRawText()}.");
    }

    public IReadOnlyList<int> IntList(JsonElement? parent, string key, IReadOnlyList<int> fallback)
    {
        if (!TryGet(parent, key, out var e) || e.ValueKind == JsonValueKind.Null) return fallback;
        if (e.ValueKind != JsonValueKind.Array) throw Error(key, $"expected a list of integers, found {e.GetRawText()}.");
        return e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var i)
            ? i : throw Error(key, $"expected a list of integers, found {e.GetRawText()}.")).ToArray();
    }

    public IReadOnlyList<IReadOnlyList<int>> IntListList(JsonElement? parent, string key, IReadOnlyList<IReadOnlyList<int>> fallback)
    {
        if (!TryGet(parent, key, out var e) || e.ValueKind == JsonValueKind.Null) return fallback;
        if (e.ValueKind != JsonValueKind.Array) throw Error(key, $"expected a list of integer lists, found {e.GetRawText()}.");
        return e.EnumerateArray().Select(row => row.ValueKind == JsonValueKind.Array
            ? (IReadOnlyList<int>)row.EnumerateArray().Select(x => x.TryGetInt32(out var i) ? i : throw Error(key, "expected integers.")).ToArray()
            : throw Error(key, $"expected a list of integer lists, found {e.GetRawText()}.")).ToArray();
    }

    /// <summary>
    /// A string key that must have exactly this value; when <paramref name="mustBePresent"/> is false an
    /// absent key counts as that value (it is the default).
    /// </summary>
    public void Require(JsonElement? parent, string key, string expected, bool mustBePresent = false)
    {
        if (mustBePresent) Present(parent, key);
        var v = String(parent, key, expected);
        if (!string.Equals(v, expected, StringComparison.Ordinal))
            throw Error(key, $"value '{v}' is not supported (only '{expected}').");
    }

    /// <summary>A boolean key that must have exactly this value (absent = that value unless <paramref name="mustBePresent"/>).</summary>
    public void RequireBool(JsonElement? parent, string key, bool expected, bool mustBePresent = false)
    {
        if (mustBePresent) Present(parent, key);
        if (Bool(parent, key, expected) != expected)
            throw Error(key, $"value {(!expected ? "true" : "false")} is not supported (only {(expected ? "true" : "false")}).");
    }

    private void Present(JsonElement? parent, string key)
    {
        if (!TryGet(parent, key, out var e) || e.ValueKind == JsonValueKind.Null)
            throw Error(key, "required key is missing.");
    }

    public CheckpointFormatException Error(string key, string message) =>
        new($"{_description}: {_root} key '{key}': {message}", key: key);

    private static bool TryGet(JsonElement? parent, string key, out JsonElement value)
    {
        value = default;
        return parent is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(key, out value);
    }
}
