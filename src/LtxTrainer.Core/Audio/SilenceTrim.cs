namespace LtxTrainer.Core.Audio;

/// <summary>
/// The silence rule for a clip's kept end: users expect a suffix to be the last <em>audible</em> sound,
/// not a fade-out into hiss. A frame is audible when either channel reaches <see cref="ThresholdDb"/>
/// below the clip's own peak; the silence before the first and after the last audible frame is what
/// trimming removes. A clip whose peak is under <see cref="PeakLevels.SilenceFloor"/> is silent
/// throughout and has no audible range.
/// <para>Used by the dataset builder (through <see cref="StereoWindowReader"/>, which applies it while
/// streaming) and wherever a closing clip is cut from audio in memory (<see cref="ClosingWindow"/>), so both
/// end on the same sound.</para>
/// </summary>
public static class SilenceTrim
{
    /// <summary>
    /// Audible means at most this far below the clip's peak: a fade-out 40 dB down is near silence next to
    /// the clip's body (normalising it would raise hiss by that much), while the decay of a real note or
    /// a reverb tail above it is kept.
    /// </summary>
    public const double ThresholdDb = -40.0;

    /// <summary>The linear level a frame must reach to be audible in a clip whose peak is <paramref name="peak"/>.</summary>
    public static float Threshold(float peak) => peak * (float)PeakLevels.FromDbfs(ThresholdDb);

    /// <summary>True when a clip of peak <paramref name="peak"/> is silent throughout (or not finite: nothing to trim by).</summary>
    public static bool IsSilentThroughout(float peak) => !(peak >= PeakLevels.SilenceFloor);

    /// <summary>
    /// The audible range of a stereo clip (channels of equal length). For a clip silent throughout, or
    /// one with non-finite samples, the whole clip is returned with its peak, so callers skip it for that
    /// reason rather than for being short.
    /// </summary>
    public static AudibleRange Find(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        if (left.Length != right.Length) throw new ArgumentException("The channels differ in length.", nameof(right));
        float peak = PeakLevels.Peak(left, right);
        if (IsSilentThroughout(peak)) return new AudibleRange(0, left.Length, peak);
        float threshold = Threshold(peak);
        int start = 0, end = left.Length;
        while (start < end && Level(left, right, start) < threshold) start++;
        while (end > start && Level(left, right, end - 1) < threshold) end--;
        return new AudibleRange(start, end, peak);
    }

    /// <summary>
    /// The closing <paramref name="frames"/> of a clip held in memory, ending on its last audible frame
    /// (or the clip's own end when <paramref name="trim"/> is false): the start frame of that window and
    /// the trailing silence left out. The start is negative when the audible part is shorter than the window.
    /// </summary>
    public static (long Start, long TrimmedFrames) ClosingWindow(ReadOnlySpan<float> left, ReadOnlySpan<float> right, long frames, bool trim = true)
    {
        long end = trim ? Find(left, right).End : left.Length;
        return (end - frames, left.Length - end);
    }

    /// <summary>The level of one frame: the larger absolute sample of its two channels.</summary>
    internal static float Level(ReadOnlySpan<float> left, ReadOnlySpan<float> right, int frame) =>
        Math.Max(Math.Abs(left[frame]), Math.Abs(right[frame]));
}
