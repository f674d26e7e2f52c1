namespace LtxTrainer.Core.Audio;

/// <summary>How a decoded clip is fitted to the training bucket.</summary>
/// <param name="DurationSeconds">The bucket length (audio_duration_seconds).</param>
/// <param name="TrimFrom">Which end of a longer clip is kept.</param>
/// <param name="StretchTolerance">
/// Fraction (0 to 0.5) by which a clip may be shorter than the bucket and still be time-stretched to fit;
/// 0 (the default) skips every shorter clip.
/// </param>
/// <param name="PreservePitch">Stretch with WSOLA (pitch kept) instead of plain resampling (pitch drops).</param>
/// <param name="Normalize">Peak-normalise to <see cref="PeakLevels.TargetDbfs"/>.</param>
/// <param name="TrimSilence">
/// Before placing the window, trim the silence at the kept end (trailing for <see cref="TrimFrom.End"/>,
/// leading for <see cref="TrimFrom.Start"/>) as <see cref="SilenceTrim"/> defines it.
/// </param>
public sealed record ClipFitOptions(
    double DurationSeconds,
    TrimFrom TrimFrom = TrimFrom.End,
    double StretchTolerance = 0.0,
    bool PreservePitch = false,
    bool Normalize = true,
    bool TrimSilence = false);
