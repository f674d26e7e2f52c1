using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Dataset;

/// <summary>One kept clip of a dataset.</summary>
/// <param name="Name">Clip name (the archive file name without extension; unique).</param>
/// <param name="SourceEntry">The audio entry inside the archive.</param>
/// <param name="CaptionEntry">The caption entry inside the archive, or null when there was none.</param>
/// <param name="Caption">The caption as used for training (trigger phrase included).</param>
/// <param name="AudioFile">The processed clip, relative to the work folder (16 kHz stereo 32-bit float WAV).</param>
/// <param name="CaptionFile">The caption as used, relative to the work folder (UTF-8 .txt).</param>
/// <param name="SourceSampleRate">Sample rate of the source file.</param>
/// <param name="SourceChannels">Channel count of the source file.</param>
/// <param name="SourceSeconds">
/// Duration of the whole source file. With <see cref="TrimFrom.Start"/> decoding stops once the bucket is full,
/// so for a longer file this is the bucket length (a lower bound).
/// </param>
/// <param name="Seconds">Duration of the processed clip (the bucket length).</param>
/// <param name="Samples">16 kHz samples per channel of the processed clip.</param>
/// <param name="LeadInSeconds">Audio before the suffix.</param>
/// <param name="SuffixSeconds">The clean closing part.</param>
/// <param name="LeadInSteps">Latent steps generated in training.</param>
/// <param name="SuffixSteps">Latent steps kept clean.</param>
/// <param name="TotalSteps">Latent steps of the encoded clip.</param>
/// <param name="PeakBeforeNormalization">Largest absolute 16 kHz sample before the gain (linear).</param>
/// <param name="Gain">Linear gain applied (1 when not normalised).</param>
/// <param name="StretchRatio">Target/source duration when the clip was stretched, else null.</param>
/// <param name="TrimmedSilenceSeconds">
/// Silence trimmed before the window was placed: trailing with <see cref="TrimFrom.End"/>, leading with
/// <see cref="TrimFrom.Start"/> (0 when none was, or trimming was off).
/// </param>
public sealed record ClipRecord(
    string Name,
    string SourceEntry,
    string? CaptionEntry,
    string Caption,
    string AudioFile,
    string CaptionFile,
    int SourceSampleRate,
    int SourceChannels,
    double SourceSeconds,
    double Seconds,
    long Samples,
    double LeadInSeconds,
    double SuffixSeconds,
    long LeadInSteps,
    long SuffixSteps,
    long TotalSteps,
    double PeakBeforeNormalization,
    double Gain,
    double? StretchRatio,
    double TrimmedSilenceSeconds = 0)
{
    /// <summary>The peak before normalisation in dBFS.</summary>
    public double PeakBeforeNormalizationDbfs => Math.Round(PeakLevels.ToDbfs(PeakBeforeNormalization), 2);
}
