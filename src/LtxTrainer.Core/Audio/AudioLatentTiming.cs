namespace LtxTrainer.Core.Audio;

/// <summary>
/// Seconds ↔ audio latent steps for LTX-2 / LTX-2.3 (ltx_core/types.py,
/// ltx_core/components/patchifiers.py; docs/numerical-reference.md "Latent timing and patchifying"). The audio VAE
/// works at
/// 16 kHz with hop 160 and a time downsampling of 4, so one latent step is 40 ms (25 per second).
/// Rounding follows the reference's Python <c>round</c>, i.e. half-to-even on the float64 product.
/// </summary>
public static class AudioLatentTiming
{
    public const int SampleRate = 16000;
    public const int HopLength = 160;
    public const int TimeDownsample = 4;
    public const int StepsPerSecond = SampleRate / HopLength / TimeDownsample; // 25

    /// <summary>Samples at 16 kHz of a clip cut to <paramref name="seconds"/> (round(d·16000)).</summary>
    public static long SamplesAt16k(double seconds) => (long)Math.Round(seconds * SampleRate, MidpointRounding.ToEven);

    /// <summary>Mel frames for N samples at 16 kHz: 1 + floor(N/160) (centered STFT).</summary>
    public static long MelFrames(long samples16k) => 1 + samples16k / HopLength;

    /// <summary>
    /// Latent steps the audio VAE produces when it encodes N samples at 16 kHz:
    /// ceil(melFrames/4) = floor(floor(N/160)/4) + 1 (two stride-2 causal downsamples).
    /// </summary>
    public static long EncodedSteps(long samples16k) => (MelFrames(samples16k) + TimeDownsample - 1) / TimeDownsample;

    /// <summary>Latent steps of an encoded clip cut to <paramref name="seconds"/> (e.g. 5.0 s → 126, 1.0 s → 26).</summary>
    public static long EncodedStepsForSeconds(double seconds) => EncodedSteps(SamplesAt16k(seconds));

    /// <summary>
    /// Latent steps for a duration requested at generation time, and the training suffix boundary:
    /// round(25·seconds), half-to-even (<c>AudioLatentShape.from_duration</c> in ltx_core/types.py).
    /// </summary>
    public static long RoundedSteps(double seconds) => (long)Math.Round(seconds * StepsPerSecond, MidpointRounding.ToEven);

    /// <summary>Mel frames the decoder emits for L latent steps: 4L − 3.</summary>
    public static long DecodedMelFrames(long steps) => TimeDownsample * steps - (TimeDownsample - 1);

    /// <summary>
    /// The [start, end) time in seconds of latent step i, with the causal offset of the patchifier
    /// (ltx_core/components/patchifiers.py): start = max(0, 4i−3)·0.01, end = max(0, 4i+1)·0.01.
    /// </summary>
    public static (double Start, double End) StepTimeSpan(long i)
    {
        const double secondsPerMelFrame = (double)HopLength / SampleRate;
        return (Math.Max(0, 4 * i - 3) * secondsPerMelFrame, Math.Max(0, 4 * i + 1) * secondsPerMelFrame);
    }
}
