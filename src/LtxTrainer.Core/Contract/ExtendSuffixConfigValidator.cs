using System.Globalization;
using System.Text.Json;
using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Contract;

/// <summary>
/// The request contract of audio-suffix extension training. Reads a raw request (wrong types, NaN,
/// infinities, strings for numbers and nulls all arrive as given), checks every field against its type
/// and range, and the cross-field latent-step rules; answers with every error (each naming the field and
/// its allowed values), warnings, and for a valid request the normalized config and derived figures.
/// Nothing here throws on bad input.
/// </summary>
/// <remarks>
/// Decisions where the request schema is silent (see also docs/about_LtxTrainer.md, "Request contract"):
/// <list type="bullet">
/// <item>No type coercion: a string is never read as a number or boolean, a boolean never as a number.
///   Integer fields accept numbers with no fractional part (2000 and 2000.0).</item>
/// <item>null is refused for every field (omit a field to get its default), as a typed API would.</item>
/// <item>Keys match without regard to case, '_' or '-' (see <see cref="RequestFields"/>).</item>
/// <item>Local paths are resolved against the base directory and must exist; URLs must be http(s).</item>
/// <item>A validation entry's prompt is optional ("" when missing); its audio_url is required.</item>
/// </list>
/// </remarks>
public sealed class ExtendSuffixConfigValidator
{
    public const int MinimumSteps = 100;
    public const int MaximumSteps = 20000;
    public const double MinimumConditioningSeconds = 0.1;
    public const double MaximumConditioningSeconds = 30.0;
    public const double MinimumAudioDurationSeconds = 0.5;
    public const double MaximumAudioDurationSeconds = 60.0;
    public const int MaximumValidationEntries = 2;
    public const int MinimumValidationFrameRate = 8;
    public const int MaximumValidationFrameRate = 60;
    public const double MinimumStgScale = 0.0;
    public const double MaximumStgScale = 3.0;

    private readonly string _baseDirectory;
    private readonly Func<string, bool> _fileExists;

    /// <param name="baseDirectory">Folder relative local paths are resolved against (default: the process's current directory).</param>
    /// <param name="fileExists">Existence check for local files (default <see cref="File.Exists(string)"/>).</param>
    public ExtendSuffixConfigValidator(string? baseDirectory = null, Func<string, bool>? fileExists = null)
    {
        _baseDirectory = Path.GetFullPath(baseDirectory ?? Directory.GetCurrentDirectory());
        _fileExists = fileExists ?? File.Exists;
    }

    /// <summary>Validates a JSON request body. Malformed JSON is an error on the field "(request)".</summary>
    public ConfigValidationResult ValidateJson(string json)
    {
        object? raw;
        try
        {
            raw = JsonRequestReader.Parse(json ?? "");
        }
        catch (JsonException ex)
        {
            return Refused(new ConfigFieldError(RequestField, null,
                $"The request is not valid JSON: {ex.Message}"));
        }
        return Validate(raw);
    }

    /// <summary>Validates a request given as a <see cref="JsonElement"/> (the whole body).</summary>
    public ConfigValidationResult Validate(JsonElement request) => Validate(JsonRequestReader.ToPlain(request));

    /// <summary>
    /// Re-checks a config built elsewhere (e.g. by hand in a script) as if it were a request. A config
    /// carries every field, so the "has no effect without validation entries" warnings would always fire
    /// for the preview fields; they are dropped (a config has no other source of warnings).
    /// </summary>
    public ConfigValidationResult Validate(ExtendSuffixConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Validate(ToRequest(config)) with { Warnings = [] };
    }

    /// <summary>Validates a raw request: an object (string-keyed dictionary) of fields.</summary>
    public ConfigValidationResult Validate(object? request)
    {
        var fields = RawValues.AsObject(request);
        if (fields is null)
        {
            return Refused(new ConfigFieldError(RequestField, RawValues.Plain(request),
                $"The request must be an object of fields (e.g. {{\"{RequestFields.TrainingDataUrl}\": \"data.zip\"}}); got {RawValues.Describe(request)}."));
        }
        return new RequestReading(this, fields).Run();
    }

    /// <summary>The field name used for errors about the request as a whole.</summary>
    public const string RequestField = "(request)";

    private static ConfigValidationResult Refused(ConfigFieldError error) => new([error], [], null, null);

    /// <summary>A config as a raw request with the snake_case names (what <see cref="Validate(ExtendSuffixConfig)"/> re-reads).</summary>
    public static IReadOnlyDictionary<string, object?> ToRequest(ExtendSuffixConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Dictionary<string, object?>
        {
            [RequestFields.TrainingDataUrl] = config.TrainingDataUrl,
            [RequestFields.TriggerPhrase] = config.TriggerPhrase,
            [RequestFields.Rank] = config.Rank,
            [RequestFields.NumberOfSteps] = config.NumberOfSteps,
            [RequestFields.LearningRate] = config.LearningRate,
            [RequestFields.ConditioningSeconds] = config.ConditioningSeconds,
            [RequestFields.AudioDurationSeconds] = config.AudioDurationSeconds,
            [RequestFields.AudioNormalize] = config.AudioNormalize,
            [RequestFields.AudioPreservePitch] = config.AudioPreservePitch,
            [RequestFields.Validation] = (config.Validation ?? []).Select(e => (object?)new Dictionary<string, object?>
            {
                [RequestFields.Prompt] = e?.Prompt,
                [RequestFields.AudioUrl] = e?.AudioUrl,
            }).ToList(),
            [RequestFields.ValidationNegativePrompt] = config.ValidationNegativePrompt,
            [RequestFields.ValidationFrameRate] = config.ValidationFrameRate,
            [RequestFields.StgScale] = config.StgScale,
            [RequestFields.DebugDataset] = config.DebugDataset,
        };
    }

    /// <summary>One pass over one request: collects errors and warnings while reading each field.</summary>
    private sealed class RequestReading(ExtendSuffixConfigValidator owner, IReadOnlyDictionary<string, object?> fields)
    {
        private readonly List<ConfigFieldError> _errors = [];
        private readonly List<ConfigFieldWarning> _warnings = [];
        private readonly Dictionary<string, object?> _given = new(StringComparer.Ordinal);

        public ConfigValidationResult Run()
        {
            Collect(fields, RequestFields.All, "", _given);

            string? dataUrl = Location(RequestFields.TrainingDataUrl, Take(RequestFields.TrainingDataUrl), requireZip: true);
            string? trigger = Text(RequestFields.TriggerPhrase, "");
            int? rank = Rank();
            int? steps = Integer(RequestFields.NumberOfSteps, ExtendSuffixConfig.DefaultNumberOfSteps, MinimumSteps, MaximumSteps);
            double? learningRate = LearningRate();
            double? conditioning = Number(RequestFields.ConditioningSeconds, ExtendSuffixConfig.DefaultConditioningSeconds,
                MinimumConditioningSeconds, MaximumConditioningSeconds, "seconds");
            double? duration = Number(RequestFields.AudioDurationSeconds, ExtendSuffixConfig.DefaultAudioDurationSeconds,
                MinimumAudioDurationSeconds, MaximumAudioDurationSeconds, "seconds");
            bool? normalize = Boolean(RequestFields.AudioNormalize, ExtendSuffixConfig.DefaultAudioNormalize);
            bool? preservePitch = Boolean(RequestFields.AudioPreservePitch, ExtendSuffixConfig.DefaultAudioPreservePitch);
            var validation = ValidationEntries();
            string? negative = Text(RequestFields.ValidationNegativePrompt, ExtendSuffixConfig.DefaultValidationNegativePrompt);
            int? frameRate = Integer(RequestFields.ValidationFrameRate, ExtendSuffixConfig.DefaultValidationFrameRate,
                MinimumValidationFrameRate, MaximumValidationFrameRate, " frames per second");
            double? stg = Number(RequestFields.StgScale, ExtendSuffixConfig.DefaultStgScale, MinimumStgScale, MaximumStgScale, "");
            bool? debug = Boolean(RequestFields.DebugDataset, false);

            // One error per field: the preview rule is only checked for a suffix that fits the clip.
            if (conditioning is double c && duration is double d && CheckSuffixFitsClip(c, d)
                && frameRate is int fps && validation is { Count: > 0 })
                CheckSuffixFitsPreview(c, d, fps);
            if (validation is { Count: 0 })
                WarnValidationOnly();

            if (_errors.Count > 0) return new ConfigValidationResult(_errors, _warnings, null, null);

            var config = new ExtendSuffixConfig
            {
                TrainingDataUrl = dataUrl!,
                TriggerPhrase = trigger!,
                Rank = rank!.Value,
                NumberOfSteps = steps!.Value,
                LearningRate = learningRate!.Value,
                ConditioningSeconds = conditioning!.Value,
                AudioDurationSeconds = duration!.Value,
                AudioNormalize = normalize!.Value,
                AudioPreservePitch = preservePitch!.Value,
                Validation = validation!,
                ValidationNegativePrompt = negative!,
                ValidationFrameRate = frameRate!.Value,
                StgScale = stg!.Value,
                DebugDataset = debug!.Value,
            };
            return new ConfigValidationResult(_errors, _warnings, config, ExtendSuffixDerivedFigures.For(config));
        }

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

        private void Error(string field, object? value, string message) =>
            _errors.Add(new ConfigFieldError(field, value is Missing ? null : value, message));

        private static string Format(double value) => value.ToString("0.0###", CultureInfo.InvariantCulture);

        private string? Text(string field, string fallback)
        {
            if (!TryTake(field, out var value)) return fallback;
            if (value is string s) return s;
            Error(field, value, $"{field} must be a string; got {RawValues.Describe(value)}. Omit it for the default {RawValues.Show(fallback)}.");
            return null;
        }

        private bool? Boolean(string field, bool fallback)
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

        private double? Number(string field, double fallback, double min, double max, string unit)
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

        private int? Integer(string field, int fallback, int min, int max, string unit = "")
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

        private int? Rank()
        {
            const string field = RequestFields.Rank;
            if (!TryTake(field, out var value)) return ExtendSuffixConfig.DefaultRank;
            string allowed = "one of " + string.Join(", ", ExtendSuffixConfig.AllowedRanks);
            if (FiniteNumber(field, value, "(" + allowed + ")") is not double number) return null;
            int index = ExtendSuffixConfig.AllowedRanks.ToList().FindIndex(r => r == number);
            if (index < 0)
            {
                Error(field, value, $"{field} must be {allowed}; got {RawValues.Show(value)}.");
                return null;
            }
            return ExtendSuffixConfig.AllowedRanks[index];
        }

        private double? LearningRate()
        {
            const string field = RequestFields.LearningRate;
            if (!TryTake(field, out var value)) return ExtendSuffixConfig.DefaultLearningRate;
            const string allowed = "greater than 0 (e.g. 0.0002)";
            if (FiniteNumber(field, value, allowed) is not double number) return null;
            if (number <= 0)
            {
                Error(field, value, $"{field} must be a number {allowed}; got {RawValues.Show(value)}.");
                return null;
            }
            return number;
        }

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
                    : Path.GetFullPath(text, owner._baseDirectory);
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
            if (!owner._fileExists(path))
            {
                Error(field, value, $"{field} must be {what}; the file '{path}' does not exist.");
                return null;
            }
            return path;
        }

        private IReadOnlyList<ValidationEntry>? ValidationEntries()
        {
            const string field = RequestFields.Validation;
            if (!TryTake(field, out var value)) return [];
            const string shape = "a list of at most 2 entries {\"prompt\": \"...\", \"audio_url\": \"...\"}";
            var items = RawValues.AsList(value);
            if (items is null)
            {
                Error(field, value, $"{field} must be {shape}; got {RawValues.Describe(value)}.");
                return null;
            }
            if (items.Count > MaximumValidationEntries)
            {
                Error(field, items, $"{field} may have at most {MaximumValidationEntries} entries; got {items.Count}.");
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

        /// <summary>
        /// The clean suffix must leave at least one lead-in step in every training clip, counted in latent
        /// steps: the clip encodes to ceil((1 + floor(N16/160))/4) steps and the suffix is the last
        /// K = round(25·conditioning) of them (spec §3.5, §7.2).
        /// </summary>
        private bool CheckSuffixFitsClip(double conditioning, double duration)
        {
            const string field = RequestFields.ConditioningSeconds;
            if (conditioning >= duration)
            {
                Error(field, conditioning,
                    $"{field} must be below {RequestFields.AudioDurationSeconds} ({Format(duration)} s); got {Format(conditioning)}.");
                return false;
            }
            long clip = AudioLatentTiming.EncodedStepsForSeconds(duration);
            long suffix = AudioLatentTiming.RoundedSteps(conditioning);
            if (clip - suffix < 1)
            {
                Error(field, conditioning,
                    $"{field} {Format(conditioning)} takes {suffix} of the {clip} latent steps of a {Format(duration)} s clip, " +
                    $"leaving no lead-in step to train; use at most {Format(MaxConditioningFor(clip))} s or a longer {RequestFields.AudioDurationSeconds}.");
                return false;
            }
            return true;
        }

        /// <summary>The largest multiple of 0.01 s whose rounded suffix leaves one lead-in step in a clip of <paramref name="clipSteps"/>.</summary>
        private static double MaxConditioningFor(long clipSteps)
        {
            for (long centi = (clipSteps - 1) * 4 + 2; centi > 0; centi--)
            {
                double seconds = centi / 100.0;
                if (AudioLatentTiming.RoundedSteps(seconds) <= clipSteps - 1) return seconds;
            }
            return 0;
        }

        /// <summary>
        /// Validation previews generate a span of round(25·frames/fps) steps and encode the suffix on its
        /// own, to floor(floor(N16/160)/4) + 1 steps (spec §9.1, §9.3); at least one step must be left to
        /// generate, else the preview would only replay the suffix.
        /// </summary>
        private void CheckSuffixFitsPreview(double conditioning, double duration, int frameRate)
        {
            const string field = RequestFields.ConditioningSeconds;
            int frames = PreviewSpan.Frames(duration, frameRate);
            double seconds = PreviewSpan.Seconds(frames, frameRate);
            long previewSteps = AudioLatentTiming.RoundedSteps(seconds);
            long suffixSteps = AudioLatentTiming.EncodedStepsForSeconds(conditioning);
            if (suffixSteps >= previewSteps)
            {
                Error(field, conditioning,
                    $"{field} {Format(conditioning)} fills the whole validation preview: the suffix encodes to {suffixSteps} latent steps " +
                    $"and the preview span is {frames} frames at {frameRate} fps = {seconds.ToString("0.####", CultureInfo.InvariantCulture)} s = {previewSteps} steps " +
                    $"(at most {PreviewSpan.MaximumFrames} frames); use a shorter {field}, a lower {RequestFields.ValidationFrameRate}, or no validation entries.");
            }
        }

        /// <summary>Validation-only fields given without validation entries do nothing; say so.</summary>
        private void WarnValidationOnly()
        {
            foreach (var field in new[] { RequestFields.ValidationNegativePrompt, RequestFields.ValidationFrameRate, RequestFields.StgScale })
            {
                if (_given.ContainsKey(field))
                    _warnings.Add(new ConfigFieldWarning(field, $"{field} has no effect without {RequestFields.Validation} entries."));
            }
        }
    }
}
