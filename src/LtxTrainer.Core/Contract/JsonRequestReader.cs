using System.Text.Json;

namespace LtxTrainer.Core.Contract;

/// <summary>
/// Turns a JSON request into the raw shapes <see cref="AudioSuffixConfigValidator"/> reads, without
/// judging it: numbers stay numbers (double; beyond double's range they become ±infinity, which the
/// validator refuses), strings stay strings, duplicate keys are kept apart so they can be reported.
/// </summary>
public static class JsonRequestReader
{
    /// <summary>Parses <paramref name="json"/>; throws <see cref="JsonException"/> on malformed text.</summary>
    public static object? Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });
        return ToPlain(document.RootElement);
    }

    /// <summary>The plain value of one element (objects become ordered key/value lists keyed by name).</summary>
    public static object? ToPlain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => Number(element),
        JsonValueKind.Array => element.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.Object => new JsonObjectFields(element.EnumerateObject().Select(p => (p.Name, ToPlain(p.Value))).ToList()),
        _ => throw new JsonException($"Unsupported JSON value kind {element.ValueKind}."),
    };

    private static double Number(JsonElement element)
    {
        if (element.TryGetDouble(out double value) && double.IsFinite(value)) return value;
        return element.GetRawText().TrimStart().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
    }
}
