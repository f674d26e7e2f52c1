using System.Collections;
using System.Management.Automation;
using LtxTrainer.Core.Contract;

namespace LtxTrainer.Cmdlets.Contract;

/// <summary>
/// Turns PowerShell values into the raw shapes the request validator reads (see
/// <see cref="RawValues"/>), without converting between kinds: a PSCustomObject or hashtable becomes an
/// object of fields, an array a list, and everything else keeps its .NET value, so a string "32" still
/// reaches the validator as a string.
/// </summary>
internal static class RawRequestConverter
{
    /// <summary>A whole request: any object's properties are its fields.</summary>
    public static object? Request(object? value)
    {
        var baseObject = value is PSObject pso ? pso.BaseObject : value;
        // Values that are not objects of fields go to the validator as they are, which refuses them.
        if (baseObject is null or string or decimal or IDictionary or PSCustomObject or IEnumerable || baseObject.GetType().IsPrimitive)
            return Value(value);
        return Properties(value is PSObject wrapped ? wrapped : PSObject.AsPSObject(baseObject), includeAdapted: true);
    }

    /// <summary>One field's value.</summary>
    public static object? Value(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case PSObject { BaseObject: PSCustomObject } custom:
                return Properties(custom, includeAdapted: false);
            case PSObject pso:
                return Value(pso.BaseObject);
            case SwitchParameter sw:
                return sw.IsPresent;
            case string:
                return value;
            case ValidationEntry entry:
                return new Dictionary<string, object?> { [RequestFields.Prompt] = entry.Prompt, [RequestFields.AudioUrl] = entry.AudioUrl };
            case IDictionary dictionary:
                var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry item in dictionary)
                    fields[LanguagePrimitives.ConvertTo<string>(item.Key) ?? ""] = Value(item.Value);
                return fields;
            case IEnumerable items:
                return items.Cast<object?>().Select(Value).ToList();
            default:
                return value;
        }
    }

    private static Dictionary<string, object?> Properties(PSObject source, bool includeAdapted)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in source.Properties)
        {
            bool wanted = property.MemberType is PSMemberTypes.NoteProperty
                || (includeAdapted && property.MemberType is PSMemberTypes.Property);
            if (!wanted || !property.IsGettable) continue;
            object? raw;
            try { raw = property.Value; }
            catch (GetValueException) { continue; }
            fields[property.Name] = Value(raw);
        }
        return fields;
    }
}
