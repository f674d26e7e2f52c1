using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Dataset;

/// <summary>
/// How a fitted clip splits into the generated lead-in and the clean suffix, in latent steps and seconds.
/// <para>Steps (through <see cref="AudioLatentTiming"/> only): the encoded clip has
/// <c>EncodedStepsForSeconds(duration)</c> steps (5 s → 126, one more than 25·d because the causal
/// encoder's first step stands for the very first frame); the suffix is the last
/// <c>RoundedSteps(conditioning)</c> steps (K = round(25·s), docs/numerical-reference.md "Latent timing and
/// patchifying"); the lead-in is the rest.</para>
/// <para>Seconds are audio seconds: the suffix covers the closing K·40 ms of the clip, the lead-in the
/// audio before it (duration − K·0.04), so the two add up to the clip's duration.</para>
/// </summary>
/// <param name="ClipSteps">Latent steps of the whole clip.</param>
/// <param name="SuffixSteps">Latent steps kept clean (K).</param>
/// <param name="LeadInSteps">Latent steps the model generates.</param>
/// <param name="ClipSeconds">The clip duration.</param>
/// <param name="SuffixSeconds">K × 0.04 s.</param>
/// <param name="LeadInSeconds">ClipSeconds − SuffixSeconds.</param>
/// <param name="SuffixStartSample">First 16 kHz sample of the suffix in the processed clip.</param>
public sealed record SuffixCarving(
    long ClipSteps,
    long SuffixSteps,
    long LeadInSteps,
    double ClipSeconds,
    double SuffixSeconds,
    double LeadInSeconds,
    long SuffixStartSample)
{
    /// <summary>Carves a clip of <paramref name="clipSeconds"/> with a suffix of <paramref name="conditioningSeconds"/>.</summary>
    public static SuffixCarving For(double clipSeconds, double conditioningSeconds)
    {
        long clipSteps = AudioLatentTiming.EncodedStepsForSeconds(clipSeconds);
        long suffixSteps = AudioLatentTiming.RoundedSteps(conditioningSeconds);
        double suffixSeconds = (double)suffixSteps / AudioLatentTiming.StepsPerSecond;
        long samplesPerStep = AudioLatentTiming.HopLength * AudioLatentTiming.TimeDownsample;
        long suffixStart = Math.Max(0, AudioLatentTiming.SamplesAt16k(clipSeconds) - suffixSteps * samplesPerStep);
        return new SuffixCarving(clipSteps, suffixSteps, clipSteps - suffixSteps, clipSeconds, suffixSeconds,
            Math.Round(clipSeconds - suffixSeconds, 6), suffixStart);
    }
}
