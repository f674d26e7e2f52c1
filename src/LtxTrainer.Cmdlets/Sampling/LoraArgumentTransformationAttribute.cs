using System.Collections;
using System.Management.Automation;
using LtxTrainer.Core.Sampling;

namespace LtxTrainer.Cmdlets.Sampling;

/// <summary>
/// Lets -Lora take what users have at hand: a path (string or FileInfo), a hashtable <c>@{ Path = ...; Strength = ... }</c>,
/// an object with a <c>LoraFile</c> or <c>Path</c> property (a training result piped in), or a
/// <see cref="LoraReference"/>. Paths stay as given; the cmdlet resolves them against the current location.
/// </summary>
public sealed class LoraArgumentTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if (inputData is null) return Array.Empty<LoraReference>();
        var items = LanguagePrimitives.GetEnumerable(inputData) is { } list && inputData is not string && inputData is not IDictionary
            ? list.Cast<object?>()
            : [inputData];
        return items.Select(One).ToArray();
    }

    private static LoraReference One(object? item)
    {
        var value = item is PSObject pso ? pso.BaseObject : item;
        switch (value)
        {
            case LoraReference reference:
                return reference;
            case string path:
                return new LoraReference(path);
            case FileInfo file:
                return new LoraReference(file.FullName);
            case IDictionary table:
                var path2 = Lookup(table, "Path") ?? Lookup(table, "LoraFile")
                            ?? throw new ArgumentTransformationMetadataException("A -Lora hashtable needs a Path key (and optionally Strength).");
                var strength = Lookup(table, "Strength");
                return new LoraReference(LanguagePrimitives.ConvertTo<string>(path2),
                    strength is null ? 1.0 : LanguagePrimitives.ConvertTo<double>(strength));
        }
        var wrapped = PSObject.AsPSObject(item!);
        var property = wrapped.Properties["LoraFile"] ?? wrapped.Properties["Path"];
        if (property?.Value is { } v)
        {
            var strength = wrapped.Properties["Strength"]?.Value;
            return new LoraReference(LanguagePrimitives.ConvertTo<string>(v), strength is null ? 1.0 : LanguagePrimitives.ConvertTo<double>(strength));
        }
        throw new ArgumentTransformationMetadataException(
            $"-Lora takes a path, a hashtable @{{ Path; Strength }} or an object with a LoraFile or Path property, not {value?.GetType().Name ?? "null"}.");
    }

    private static object? Lookup(IDictionary table, string key)
    {
        foreach (DictionaryEntry e in table)
            if (string.Equals(e.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase)) return e.Value;
        return null;
    }
}
