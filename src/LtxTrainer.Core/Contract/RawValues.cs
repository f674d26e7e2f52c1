using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace LtxTrainer.Core.Contract;

/// <summary>
/// The shapes a raw request value can take: null, bool, string, a number (any .NET numeric type), a list
/// (any non-string <see cref="IEnumerable"/>), an object (a dictionary with string keys), or a
/// <see cref="JsonElement"/> of any of those. No conversion between them is ever made: "32" is a string,
/// not a number, and true is not 1.
/// </summary>
public static class RawValues
{
    /// <summary>Unwraps a <see cref="JsonElement"/> into the plain shapes above (other values pass through).</summary>
    public static object? Plain(object? value) => value is JsonElement json ? JsonRequestReader.ToPlain(json) : value;

    /// <summary>The value's kind in words, for messages ("a string", "null", …).</summary>
    public static string Describe(object? value) => Plain(value) switch
    {
        null => "null",
        bool => "a boolean",
        string => "a string",
        var v when IsNumber(v) => "a number",
        var v when AsObject(v) is not null => "an object",
        IEnumerable => "a list",
        var v => $"a {v.GetType().Name}",
    };

    /// <summary>The value as a double when it is a number of any .NET numeric type.</summary>
    public static bool TryGetNumber(object? value, out double number)
    {
        switch (Plain(value))
        {
            case double d: number = d; return true;
            case float f: number = f; return true;
            case decimal m: number = (double)m; return true;
            case int i: number = i; return true;
            case long l: number = l; return true;
            case short s: number = s; return true;
            case byte b: number = b; return true;
            case sbyte sb: number = sb; return true;
            case uint ui: number = ui; return true;
            case ulong ul: number = ul; return true;
            case ushort us: number = us; return true;
            case System.Numerics.BigInteger big: number = (double)big; return true;
            default: number = double.NaN; return false;
        }
    }

    private static bool IsNumber(object? value) => TryGetNumber(value, out _);

    /// <summary>The value as a string-keyed dictionary when it is an object; null otherwise.</summary>
    public static IReadOnlyDictionary<string, object?>? AsObject(object? value)
    {
        switch (Plain(value))
        {
            case IReadOnlyDictionary<string, object?> typed:
                return typed;
            case IDictionary untyped:
                var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in untyped)
                    copy[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = entry.Value;
                return copy;
            default:
                return null;
        }
    }

    /// <summary>The value as a list when it is one (strings and objects are not lists).</summary>
    public static IReadOnlyList<object?>? AsList(object? value)
    {
        var plain = Plain(value);
        if (plain is null or string || AsObject(plain) is not null) return null;
        return plain is IEnumerable items ? items.Cast<object?>().ToList() : null;
    }

    /// <summary>The value written for a message: strings quoted, numbers invariant, others by kind.</summary>
    public static string Show(object? value) => Plain(value) switch
    {
        null => "null",
        string s => "\"" + (s.Length > 80 ? s[..77] + "..." : s) + "\"",
        bool b => b ? "true" : "false",
        var v when TryGetNumber(v, out double d) => d.ToString("R", CultureInfo.InvariantCulture),
        var v => Describe(v),
    };
}
