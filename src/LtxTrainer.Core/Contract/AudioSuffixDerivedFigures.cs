using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Contract;

/// <summary>
/// Figures that follow from an accepted request (all latent-step counts at 25 steps per second).
/// </summary>
/// <param name="LatentStepsPerClip">Latent steps of an encoded training clip: ceil((1 + floor(N16/160))/4), N16 = round(d·16000).</param>
/// <param name="SuffixSteps">Training suffix boundary K = round(25·conditioning_seconds), half-to-even.</param>
/// <param name="LeadInSteps">Steps trained to be generated before the suffix: clip − K (≥ 1).</param>
/// <param name="PreviewFrames">Frames of the preview span (8k+1, 9–121) at the validation frame rate.</param>
/// <param name="PreviewSeconds">PreviewFrames / validation_frame_rate.</param>
/// <param name="PreviewSteps">Latent steps of the preview: round(25·PreviewSeconds), half-to-even.</param>
/// <param name="ValidationSuffixSteps">Steps of the suffix as validation encodes it on its own: floor(floor(N16/160)/4) + 1.</param>
/// <param name="PreviewLeadInSteps">Preview steps left to generate: PreviewSteps − ValidationSuffixSteps (≥ 1 whenever validation entries are given).</param>
/// <param name="BillableUnits">max(100, number_of_steps).</param>
/// <param name="ReferencePriceUsd">0.0023 USD × BillableUnits.</param>
public sealed record AudioSuffixDerivedFigures(
    long LatentStepsPerClip,
    long SuffixSteps,
    long LeadInSteps,
    int PreviewFrames,
    double PreviewSeconds,
    long PreviewSteps,
    long ValidationSuffixSteps,
    long PreviewLeadInSteps,
    int BillableUnits,
    decimal ReferencePriceUsd)
{
    public const int MinimumBillableUnits = 100;
    public const decimal ReferencePricePerUnitUsd = 0.0023m;

    /// <summary>The figures for an accepted config (the validator has checked the ranges they rely on).</summary>
    public static AudioSuffixDerivedFigures For(AudioSuffixConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        long clip = AudioLatentTiming.EncodedStepsForSeconds(config.AudioDurationSeconds);
        long suffix = AudioLatentTiming.RoundedSteps(config.ConditioningSeconds);
        int frames = PreviewSpan.Frames(config.AudioDurationSeconds, config.ValidationFrameRate);
        double previewSeconds = PreviewSpan.Seconds(frames, config.ValidationFrameRate);
        long previewSteps = AudioLatentTiming.RoundedSteps(previewSeconds);
        long validationSuffix = AudioLatentTiming.EncodedStepsForSeconds(config.ConditioningSeconds);
        int units = Math.Max(MinimumBillableUnits, config.NumberOfSteps);
        return new AudioSuffixDerivedFigures(
            clip, suffix, clip - suffix, frames, previewSeconds, previewSteps, validationSuffix,
            previewSteps - validationSuffix, units, ReferencePricePerUnitUsd * units);
    }
}
