namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// The LTX-2.3 bandwidth-extension stage (<c>config.vocoder.bwe</c>): its generator, the causal mel STFT
/// geometry (window = n_fft; <c>win_size</c> is not read by the reference) and the rates it bridges.
/// </summary>
public sealed record BandwidthExtensionConfig(
    VocoderGeneratorConfig Generator,
    int NFft,
    int HopLength,
    int NumMels,
    int InputSamplingRate,
    int OutputSamplingRate)
{
    /// <summary>Integer ratio of the skip-path resampler (3 for 16 → 48 kHz).</summary>
    public int Ratio => OutputSamplingRate / InputSamplingRate;
}
