using System.Globalization;
using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Dataset;

/// <summary>The settings a dataset was built with (they are stored in its manifest).</summary>
/// <param name="AudioDurationSeconds">Bucket length every kept clip is fitted to.</param>
/// <param name="ConditioningSeconds">The clean closing part of each clip (the suffix) the model leads into.</param>
/// <param name="TriggerPhrase">Prepended to every caption (joined by a space); null or empty for none.</param>
/// <param name="Normalize">Peak-normalise kept clips to <see cref="PeakLevels.TargetDbfs"/>.</param>
/// <param name="PreservePitch">Stretch with WSOLA instead of plain resampling.</param>
/// <param name="StretchTolerance">How much shorter than the bucket (fraction, 0 to 0.5) a clip may be and still be stretched.</param>
/// <param name="TrimFrom">Which end of a longer clip is kept (default: the end).</param>
public sealed record DatasetSettings(
    double AudioDurationSeconds,
    double ConditioningSeconds,
    string? TriggerPhrase = null,
    bool Normalize = true,
    bool PreservePitch = false,
    double StretchTolerance = 0.0,
    TrimFrom TrimFrom = TrimFrom.End)
{
    /// <summary>Longest bucket accepted; a training clip is seconds, not minutes.</summary>
    public const double MaxAudioDurationSeconds = 600;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public DatasetSettings Validated()
    {
        if (!double.IsFinite(AudioDurationSeconds) || AudioDurationSeconds <= 0 || AudioDurationSeconds > MaxAudioDurationSeconds)
            throw new ArgumentOutOfRangeException(nameof(AudioDurationSeconds), AudioDurationSeconds, $"must be above 0 and at most {MaxAudioDurationSeconds} seconds");
        if (!double.IsFinite(ConditioningSeconds) || ConditioningSeconds <= 0 || ConditioningSeconds >= AudioDurationSeconds)
            throw new ArgumentOutOfRangeException(nameof(ConditioningSeconds), ConditioningSeconds, "must be above 0 and below AudioDurationSeconds");
        if (!double.IsFinite(StretchTolerance) || StretchTolerance < 0 || StretchTolerance > 0.5)
            throw new ArgumentOutOfRangeException(nameof(StretchTolerance), StretchTolerance, "must be between 0 and 0.5");
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
    public ClipFitOptions ToFitOptions() => new(AudioDurationSeconds, TrimFrom, StretchTolerance, PreservePitch, Normalize);
}
