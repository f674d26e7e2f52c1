using System.Globalization;
using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Contract;

namespace LtxTrainer.Core.Dataset;

/// <summary>
/// The settings a dataset was built with (they are stored in its manifest). The fields a request also
/// has take their defaults and limits from the request contract (<see cref="AudioSuffixConfig"/>,
/// <see cref="AudioSuffixConfigValidator"/>), so a dataset never accepts what the contract refuses;
/// <see cref="DatasetSettingsMapping"/> maps a validated request to them.
/// </summary>
/// <param name="AudioDurationSeconds">Bucket length every kept clip is fitted to.</param>
/// <param name="ConditioningSeconds">The clean closing part of each clip (the suffix) the model leads into.</param>
/// <param name="TriggerPhrase">Prepended to every caption (joined by a space); null or empty for none.</param>
/// <param name="Normalize">Peak-normalise kept clips to <see cref="PeakLevels.TargetDbfs"/> (audio_normalize).</param>
/// <param name="PreservePitch">Stretch with WSOLA instead of plain resampling (audio_preserve_pitch).</param>
/// <param name="StretchTolerance">How much shorter than the bucket (fraction, 0 to 0.5) a clip may be and still be stretched.</param>
/// <param name="TrimFrom">Which end of a longer clip is kept (default: the end).</param>
/// <param name="TrimSilence">
/// Trim the silence at the kept end (trailing for <see cref="TrimFrom.End"/>, leading for
/// <see cref="TrimFrom.Start"/>) before placing the window (<see cref="SilenceTrim"/>).
/// </param>
public sealed record DatasetSettings(
    double AudioDurationSeconds,
    double ConditioningSeconds,
    string? TriggerPhrase = null,
    bool Normalize = AudioSuffixConfig.DefaultAudioNormalize,
    bool PreservePitch = AudioSuffixConfig.DefaultAudioPreservePitch,
    double StretchTolerance = 0.0,
    TrimFrom TrimFrom = TrimFrom.End,
    bool TrimSilence = true)
{
    /// <summary>Longest bucket accepted: the contract's limit.</summary>
    public const double MaxAudioDurationSeconds = AudioSuffixConfigValidator.MaximumAudioDurationSeconds;

    /// <summary>Largest stretch tolerance: a clip stretched by more than half its length no longer sounds like itself.</summary>
    public const double MaxStretchTolerance = 0.5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public DatasetSettings Validated()
    {
        const double minDuration = AudioSuffixConfigValidator.MinimumAudioDurationSeconds;
        const double minConditioning = AudioSuffixConfigValidator.MinimumConditioningSeconds;
        const double maxConditioning = AudioSuffixConfigValidator.MaximumConditioningSeconds;
        if (!double.IsFinite(AudioDurationSeconds) || AudioDurationSeconds < minDuration || AudioDurationSeconds > MaxAudioDurationSeconds)
            throw new ArgumentOutOfRangeException(nameof(AudioDurationSeconds), AudioDurationSeconds,
                string.Create(CultureInfo.InvariantCulture, $"must be from {minDuration} to {MaxAudioDurationSeconds} seconds"));
        if (!double.IsFinite(ConditioningSeconds) || ConditioningSeconds < minConditioning || ConditioningSeconds > maxConditioning)
            throw new ArgumentOutOfRangeException(nameof(ConditioningSeconds), ConditioningSeconds,
                string.Create(CultureInfo.InvariantCulture, $"must be from {minConditioning} to {maxConditioning} seconds"));
        if (ConditioningSeconds >= AudioDurationSeconds)
            throw new ArgumentOutOfRangeException(nameof(ConditioningSeconds), ConditioningSeconds, "must be below AudioDurationSeconds");
        if (!double.IsFinite(StretchTolerance) || StretchTolerance < 0 || StretchTolerance > MaxStretchTolerance)
            throw new ArgumentOutOfRangeException(nameof(StretchTolerance), StretchTolerance,
                string.Create(CultureInfo.InvariantCulture, $"must be between 0 and {MaxStretchTolerance}"));
        if (!Enum.IsDefined(TrimFrom)) throw new ArgumentOutOfRangeException(nameof(TrimFrom), TrimFrom, "must be End or Start");
        var carving = SuffixCarving.For(AudioDurationSeconds, ConditioningSeconds);
        if (carving.SuffixSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(ConditioningSeconds), ConditioningSeconds,
                string.Create(CultureInfo.InvariantCulture, $"is shorter than one audio latent step ({1.0 / AudioLatentTiming.StepsPerSecond:0.00} s)"));
        if (carving.LeadInSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(ConditioningSeconds), ConditioningSeconds, "leaves no lead-in before the suffix");
        return this;
    }

    /// <summary>The fitting options for the audio pipeline.</summary>
    public ClipFitOptions ToFitOptions() => new(AudioDurationSeconds, TrimFrom, StretchTolerance, PreservePitch, Normalize, TrimSilence);
}
