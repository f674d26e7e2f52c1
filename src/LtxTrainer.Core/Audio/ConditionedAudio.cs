namespace LtxTrainer.Core.Audio;

/// <summary>A clip ready for the model: 16 kHz stereo float of exactly the bucket length.</summary>
/// <param name="Left">Left channel at 16 kHz.</param>
/// <param name="Right">Right channel at 16 kHz.</param>
/// <param name="SourceSampleRate">The file's sample rate.</param>
/// <param name="SourceChannels">The file's channel count.</param>
/// <param name="SourceSeconds">Duration of the whole file.</param>
/// <param name="PeakBeforeNormalization">Largest absolute sample of the fitted 16 kHz clip before any gain.</param>
/// <param name="Gain">Linear gain applied by normalisation (1 when not normalised).</param>
/// <param name="StretchRatio">Target/source duration when the clip was stretched, else null.</param>
/// <param name="TrimmedSilenceSeconds">Silence trimmed at the kept end before the window was placed (<see cref="SilenceTrim"/>).</param>
public sealed record ConditionedAudio(
    float[] Left,
    float[] Right,
    int SourceSampleRate,
    int SourceChannels,
    double SourceSeconds,
    float PeakBeforeNormalization,
    float Gain,
    double? StretchRatio,
    double TrimmedSilenceSeconds = 0);
