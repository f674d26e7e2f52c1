using System.Globalization;

namespace LtxTrainer.Core.Contract;

/// <summary>
/// Reads the fields of one raw request for <see cref="AudioSuffixConfigValidator"/>: sorts its keys (known,
/// duplicated, video-only, unknown), then reads each field as its type, recording an error that names the field
/// and its allowed values instead of throwing. A reader returns null after an error and the default when the
/// field was not given, so the validator's rules read as a list of fields.
/// </summary>
internal sealed class RequestFieldReader
{
    private readonly List<ConfigFieldError> _errors = [];
    private readonly List<ConfigFieldWarning> _warnings = [];
    private readonly Dictionary<string, object?> _given = new(StringComparer.Ordinal);
    private readonly string _baseDirectory;
    private readonly Func<string, bool> _fileExists;

    /// <param name="fields">The request's top-level fields.</param>
    /// <param name="baseDirectory">Folder relative local paths are resolved against.</param>
    /// <param name="fileExists">Existence check for local files.</param>
    public RequestFieldReader(IReadOnlyDictionary<string, object?> fields, string baseDirectory, Func<string, bool> fileExists)
    {
        _baseDirectory = baseDirectory;
        _fileExists = fileExists;
        Collect(fields, RequestFields.All, "", _given);
    }

    public IReadOnlyList<ConfigFieldError> Errors => _errors;

    public IReadOnlyList<ConfigFieldWarning> Warnings => _warnings;

    /// <summary>Whether the request gave <paramref name="field"/> (under any accepted spelling).</summary>
    public bool WasGiven(string field) => _given.ContainsKey(field);

    /// <summary>Records a warning on <paramref name="field"/>.</summary>
    public void Warn(string field, string message) => _warnings.Add(new ConfigFieldWarning(field, message));

    /// <summary>
    /// Sorts the keys of one object into <paramref name="known"/> fields (into <paramref name="into"/>),
    /// duplicates (errors), shared video fields and unknown keys (warnings).
    /// </summary>
    private void Collect(IReadOnlyDictionary<string, object?> source, IReadOnlyList<string> known, string prefix,
        Dictionary<string, object?> into)
    {
        var spelledAs = new Dictionary<string, string>(StringComparer.Ordinal);
        IEnumerable<KeyValuePair<string, object?>> members = source;
        foreach (var (key, value) in members)
        {
            string? field = RequestFields.Match(key, known);
            if (field is null)
            {
                string? video = RequestFields.Match(key, RequestFields.VideoFields);
                _warnings.Add(video is not null
                    ? new ConfigFieldWarning(prefix + key, $"{prefix}{key} has no effect for audio extension and is ignored.")
                    : new ConfigFieldWarning(prefix + key, $"Unknown field {prefix}{key} is ignored (known fields: {string.Join(", ", known)})."));
                continue;
            }
            if (spelledAs.TryGetValue(field, out var first))
            {
                _errors.Add(new ConfigFieldError(prefix + field, RawValues.Plain(value),
                    $"{prefix}{field} is given more than once (as '{first}' and '{key}'); give it once."));
                continue;
            }
            spelledAs[field] = key;
            into[field] = value;
        }
    }

    private bool TryTake(string field, out object? value)
    {
        if (_given.TryGetValue(field, out value)) { value = RawValues.Plain(value); return true; }
        return false;
    }

    private object? Take(string field) => TryTake(field, out var value) ? value : Missing.Value;

    /// <summary>Marks a field that was not given (distinct from an explicit null).</summary>
    private sealed class Missing
    {
        public static readonly Missing Value = new();
    }

    /// <summary>Records an error on <paramref name="field"/> (a rule's, or a reader's own).</summary>
    public void Error(string field, object? value, string message) =>
        _errors.Add(new ConfigFieldError(field, value is Missing ? null : value, message));

    /// <summary>A number as the messages show it (at least one decimal, at most four).</summary>
    public static string Format(double value) => value.ToString("0.0###", CultureInfo.InvariantCulture);

    /// <summary>A string; <paramref name="fallback"/> when not given.</summary>
    public string? Text(string field, string fallback)
    {
        if (!TryTake(field, out var value)) return fallback;
        if (value is string s) return s;
        Error(field, value, $"{field} must be a string; got {RawValues.Describe(value)}. Omit it for the default {RawValues.Show(fallback)}.");
        return null;
    }

    /// <summary>true or false; <paramref name="fallback"/> when not given.</summary>
    public bool? Boolean(string field, bool fallback)
    {
        if (!TryTake(field, out var value)) return fallback;
        if (value is bool b) return b;
        Error(field, value, $"{field} must be true or false; got {RawValues.Describe(value)} {RawValues.Show(value)}. Omit it for the default {(fallback ? "true" : "false")}.");
        return null;
    }

    /// <summary>A finite number, or null after recording why not (wrong type, NaN, infinity).</summary>
    private double? FiniteNumber(string field, object? value, string allowed)
    {
        if (!RawValues.TryGetNumber(value, out double number))
        {
            Error(field, value, $"{field} must be a number {allowed}; got {RawValues.Describe(value)} {RawValues.Show(value)}.");
            return null;
        }
        if (!double.IsFinite(number))
        {
            Error(field, value, $"{field} must be a finite number {allowed}; got {RawValues.Show(value)}.");
            return null;
        }
        return number;
    }

    /// <summary>A finite number in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="fallback"/> when not given.</summary>
    public double? Number(string field, double fallback, double min, double max, string unit)
    {
        if (!TryTake(field, out var value)) return fallback;
        string allowed = $"from {Format(min)} to {Format(max)}{(unit.Length > 0 ? " " + unit : "")}";
        if (FiniteNumber(field, value, allowed) is not double number) return null;
        if (number < min || number > max)
        {
            Error(field, value, $"{field} must be {allowed}; got {RawValues.Show(value)}.");
            return null;
        }
        return number;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>] (2000 and 2000.0 both count); <paramref name="fallback"/> when not given.</summary>
    public int? Integer(string field, int fallback, int min, int max, string unit = "")
    {
        if (!TryTake(field, out var value)) return fallback;
        string allowed = $"from {min} to {max}{unit}";
        if (FiniteNumber(field, value, "(a whole number " + allowed + ")") is not double number) return null;
        if (number != Math.Floor(number) || number < min || number > max)
        {
            Error(field, value, $"{field} must be a whole number {allowed}; got {RawValues.Show(value)}.");
            return null;
        }
        return (int)number;
    }

    /// <summary>A number from <paramref name="allowed"/>; <paramref name="fallback"/> when not given.</summary>
    public int? OneOf(string field, int fallback, IReadOnlyList<int> allowed)
    {
        if (!TryTake(field, out var value)) return fallback;
        string allowedText = "one of " + string.Join(", ", allowed);
        if (FiniteNumber(field, value, "(" + allowedText + ")") is not double number) return null;
        int index = allowed.ToList().FindIndex(r => r == number);
        if (index < 0)
        {
            Error(field, value, $"{field} must be {allowedText}; got {RawValues.Show(value)}.");
            return null;
        }
        return allowed[index];
    }

    /// <summary>A finite number above 0; <paramref name="fallback"/> when not given. <paramref name="example"/> goes in the message.</summary>
    public double? Positive(string field, double fallback, string example)
    {
        if (!TryTake(field, out var value)) return fallback;
        string allowed = $"greater than 0 (e.g. {example})";
        if (FiniteNumber(field, value, allowed) is not double number) return null;
        if (number <= 0)
        {
            Error(field, value, $"{field} must be a number {allowed}; got {RawValues.Show(value)}.");
            return null;
        }
        return number;
    }

    /// <summary>A required location (see the private overload); an error when not given.</summary>
    public string? Location(string field, bool requireZip) => Location(field, Take(field), requireZip);

    /// <summary>
    /// An http(s) URL (kept as given, trimmed) or a local path (made absolute; must exist; a .zip when
    /// <paramref name="requireZip"/>). <paramref name="value"/> is <see cref="Missing"/> when not given.
    /// </summary>
    private string? Location(string field, object? value, bool requireZip)
    {
        string what = requireZip ? "an http(s) URL or a local path to a .zip archive" : "an http(s) URL or a local path to an audio file";
        if (value is Missing)
        {
            Error(field, null, $"{field} is required: give {what}.");
            return null;
        }
        if (value is not string text)
        {
            Error(field, value, $"{field} must be a string with {what}; got {RawValues.Describe(value)}.");
            return null;
        }
        text = text.Trim();
        if (text.Length == 0)
        {
            Error(field, value, $"{field} must not be empty: give {what}.");
            return null;
        }

        // A scheme of two or more letters marks a URL ("C:\..." is a Windows drive, not a scheme).
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && !uri.IsFile && uri.Scheme.Length > 1)
        {
            if (uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            {
                Error(field, value, $"{field} must be {what}; the URL scheme '{uri.Scheme}' is not supported (use http or https).");
                return null;
            }
            return text;
        }

        string path;
        try
        {
            path = uri is { IsFile: true } && text.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
                ? uri.LocalPath
                : Path.GetFullPath(text, _baseDirectory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            Error(field, value, $"{field} must be {what}; '{text}' is not a valid path ({ex.Message}).");
            return null;
        }
        if (requireZip && !path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            Error(field, value, $"{field} must be {what}; '{text}' does not end in .zip.");
            return null;
        }
        if (!_fileExists(path))
        {
            Error(field, value, $"{field} must be {what}; the file '{path}' does not exist.");
            return null;
        }
        return path;
    }

    /// <summary>
    /// The validation entries: a list of at most <paramref name="maximum"/> objects with an optional prompt and a
    /// required audio location; an empty list when not given.
    /// </summary>
    public IReadOnlyList<ValidationEntry>? ValidationEntries(int maximum)
    {
        const string field = RequestFields.Validation;
        if (!TryTake(field, out var value)) return [];
        string shape = $"a list of at most {maximum} entries {{\"prompt\": \"...\", \"audio_url\": \"...\"}}";
        var items = RawValues.AsList(value);
        if (items is null)
        {
            Error(field, value, $"{field} must be {shape}; got {RawValues.Describe(value)}.");
            return null;
        }
        if (items.Count > maximum)
        {
            Error(field, items, $"{field} may have at most {maximum} entries; got {items.Count}.");
            return null;
        }

        var entries = new List<ValidationEntry>();
        bool ok = true;
        for (int i = 0; i < items.Count; i++)
        {
            string prefix = $"{field}[{i}].";
            var entry = RawValues.AsObject(items[i]);
            if (entry is null)
            {
                Error($"{field}[{i}]", RawValues.Plain(items[i]), $"{field}[{i}] must be an object {{\"prompt\": \"...\", \"audio_url\": \"...\"}}; got {RawValues.Describe(items[i])}.");
                ok = false;
                continue;
            }
            var given = new Dictionary<string, object?>(StringComparer.Ordinal);
            Collect(entry, RequestFields.ValidationEntryFields, prefix, given);

            string? prompt = "";
            if (given.TryGetValue(RequestFields.Prompt, out var rawPrompt))
            {
                prompt = RawValues.Plain(rawPrompt) as string;
                if (prompt is null)
                    Error(prefix + RequestFields.Prompt, RawValues.Plain(rawPrompt),
                        $"{prefix}{RequestFields.Prompt} must be a string; got {RawValues.Describe(rawPrompt)}.");
            }
            string? audio = Location(prefix + RequestFields.AudioUrl,
                given.TryGetValue(RequestFields.AudioUrl, out var rawAudio) ? RawValues.Plain(rawAudio) : Missing.Value, requireZip: false);
            if (prompt is null || audio is null) { ok = false; continue; }
            entries.Add(new ValidationEntry(prompt, audio));
        }
        return ok ? entries : null;
    }
}
