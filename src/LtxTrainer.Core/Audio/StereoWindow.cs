namespace LtxTrainer.Core.Audio;

/// <summary>
/// The stereo samples kept from a decoded file at its own sample rate, plus how long the whole file was.
/// </summary>
/// <param name="Left">Left channel of the kept window.</param>
/// <param name="Right">Right channel of the kept window.</param>
/// <param name="SampleRate">The file's sample rate.</param>
/// <param name="SourceChannels">The file's channel count before the stereo conversion.</param>
/// <param name="TotalFrames">
/// Frames decoded: the whole file, except with <see cref="TrimFrom.Start"/> where reading stops at the window
/// (then a lower bound of the file length).
/// </param>
/// <param name="TrimmedFrames">Silence left out at the kept end before the window was placed (see <see cref="SilenceTrim"/>).</param>
public sealed record StereoWindow(float[] Left, float[] Right, int SampleRate, int SourceChannels, long TotalFrames, long TrimmedFrames = 0)
{
    /// <summary>Duration of the whole file in seconds.</summary>
    public double SourceSeconds => (double)TotalFrames / SampleRate;

    /// <summary>The trimmed silence in seconds.</summary>
    public double TrimmedSeconds => (double)TrimmedFrames / SampleRate;

    /// <summary>Frames left to place the window in once the silence is trimmed.</summary>
    public long AudibleFrames => TotalFrames - TrimmedFrames;
}
