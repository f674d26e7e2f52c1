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
public sealed class AudioSuffixConfigValidator
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
    public AudioSuffixConfigValidator(string? baseDirectory = null, Func<string, bool>? fileExists = null)
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
    public ConfigValidationResult Validate(AudioSuffixConfig config)
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
        return Check(new RequestFieldReader(fields, _baseDirectory, _fileExists));
    }

    /// <summary>The field name used for errors about the request as a whole.</summary>
    public const string RequestField = "(request)";

    private static ConfigValidationResult Refused(ConfigFieldError error) => new([error], [], null, null);

    /// <summary>A config as a raw request with the snake_case names (what <see cref="Validate(AudioSuffixConfig)"/> re-reads).</summary>
    public static IReadOnlyDictionary<string, object?> ToRequest(AudioSuffixConfig config)
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

    /// <summary>
    /// The rules, field by field in the contract's order (type, range, default), then the rules across fields.
    /// Every reader records its own error and returns null, so one request gets every error at once.
    /// </summary>
    private static ConfigValidationResult Check(RequestFieldReader read)
    {
        string? dataUrl = read.Location(RequestFields.TrainingDataUrl, requireZip: true);
        string? trigger = read.Text(RequestFields.TriggerPhrase, "");
        int? rank = read.OneOf(RequestFields.Rank, AudioSuffixConfig.DefaultRank, AudioSuffixConfig.AllowedRanks);
        int? steps = read.Integer(RequestFields.NumberOfSteps, AudioSuffixConfig.DefaultNumberOfSteps, MinimumSteps, MaximumSteps);
        double? learningRate = read.Positive(RequestFields.LearningRate, AudioSuffixConfig.DefaultLearningRate, "0.0002");
        double? conditioning = read.Number(RequestFields.ConditioningSeconds, AudioSuffixConfig.DefaultConditioningSeconds,
            MinimumConditioningSeconds, MaximumConditioningSeconds, "seconds");
        double? duration = read.Number(RequestFields.AudioDurationSeconds, AudioSuffixConfig.DefaultAudioDurationSeconds,
            MinimumAudioDurationSeconds, MaximumAudioDurationSeconds, "seconds");
        bool? normalize = read.Boolean(RequestFields.AudioNormalize, true);
        bool? preservePitch = read.Boolean(RequestFields.AudioPreservePitch, true);
        var validation = read.ValidationEntries(MaximumValidationEntries);
        string? negative = read.Text(RequestFields.ValidationNegativePrompt, AudioSuffixConfig.DefaultValidationNegativePrompt);
        int? frameRate = read.Integer(RequestFields.ValidationFrameRate, AudioSuffixConfig.DefaultValidationFrameRate,
            MinimumValidationFrameRate, MaximumValidationFrameRate, " frames per second");
        double? stg = read.Number(RequestFields.StgScale, AudioSuffixConfig.DefaultStgScale, MinimumStgScale, MaximumStgScale, "");
        bool? debug = read.Boolean(RequestFields.DebugDataset, false);

        // One error per field: the preview rule is only checked for a suffix that fits the clip.
        if (conditioning is double c && duration is double d && CheckSuffixFitsClip(read, c, d)
            && frameRate is int fps && validation is { Count: > 0 })
            CheckSuffixFitsPreview(read, c, d, fps);
        if (validation is { Count: 0 })
            WarnValidationOnly(read);

        if (read.Errors.Count > 0) return new ConfigValidationResult(read.Errors, read.Warnings, null, null);

        var config = new AudioSuffixConfig
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
        return new ConfigValidationResult(read.Errors, read.Warnings, config, AudioSuffixDerivedFigures.For(config));
    }

    /// <summary>
    /// The clean suffix must leave at least one lead-in step in every training clip, counted in latent
    /// steps: the clip encodes to ceil((1 + floor(N16/160))/4) steps and the suffix is the last
    /// K = round(25·conditioning) of them (docs/numerical-reference.md "Latent timing and patchifying").
    /// </summary>
    private static bool CheckSuffixFitsClip(RequestFieldReader read, double conditioning, double duration)
    {
        const string field = RequestFields.ConditioningSeconds;
        if (conditioning >= duration)
        {
            read.Error(field, conditioning,
                $"{field} must be below {RequestFields.AudioDurationSeconds} ({RequestFieldReader.Format(duration)} s); got {RequestFieldReader.Format(conditioning)}.");
            return false;
        }
        long clip = AudioLatentTiming.EncodedStepsForSeconds(duration);
        long suffix = AudioLatentTiming.RoundedSteps(conditioning);
        if (clip - suffix < 1)
        {
            read.Error(field, conditioning,
                $"{field} {RequestFieldReader.Format(conditioning)} takes {suffix} of the {clip} latent steps of a {RequestFieldReader.Format(duration)} s clip, " +
                $"leaving no lead-in step to train; use at most {RequestFieldReader.Format(MaxConditioningFor(clip))} s or a longer {RequestFields.AudioDurationSeconds}.");
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
    /// own, to floor(floor(N16/160)/4) + 1 steps (ltx_trainer/validation_runner.py); at least one step
    /// must be left to generate, else the preview would only replay the suffix.
    /// </summary>
    private static void CheckSuffixFitsPreview(RequestFieldReader read, double conditioning, double duration, int frameRate)
    {
        const string field = RequestFields.ConditioningSeconds;
        int frames = PreviewSpan.Frames(duration, frameRate);
        double seconds = PreviewSpan.Seconds(frames, frameRate);
        long previewSteps = AudioLatentTiming.RoundedSteps(seconds);
        long suffixSteps = AudioLatentTiming.EncodedStepsForSeconds(conditioning);
        if (suffixSteps >= previewSteps)
        {
            read.Error(field, conditioning,
                $"{field} {RequestFieldReader.Format(conditioning)} fills the whole validation preview: the suffix encodes to {suffixSteps} latent steps " +
                $"and the preview span is {frames} frames at {frameRate} fps = {seconds.ToString("0.####", CultureInfo.InvariantCulture)} s = {previewSteps} steps " +
                $"(at most {PreviewSpan.MaximumFrames} frames); use a shorter {field}, a lower {RequestFields.ValidationFrameRate}, or no validation entries.");
        }
    }

    /// <summary>Validation-only fields given without validation entries do nothing; say so.</summary>
    private static void WarnValidationOnly(RequestFieldReader read)
    {
        foreach (var field in new[] { RequestFields.ValidationNegativePrompt, RequestFields.ValidationFrameRate, RequestFields.StgScale })
        {
            if (read.WasGiven(field))
                read.Warn(field, $"{field} has no effect without {RequestFields.Validation} entries.");
        }
    }
}
