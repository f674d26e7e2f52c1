namespace LtxTrainer.Core.Outputs;

/// <summary>
/// Joins several previews into one file (the run's single <c>AudioFile</c>): one after another, separated by a
/// short silence so the seams between entries are not mistaken for a generated seam.
/// </summary>
public static class PreviewMix
{
    public const double DefaultGapSeconds = 0.5;

    /// <summary>Channel-wise concatenation with <paramref name="gapSeconds"/> of silence between entries.</summary>
    public static float[][] Join(IReadOnlyList<float[][]> previews, int sampleRate, double gapSeconds = DefaultGapSeconds)
    {
        if (previews.Count == 0) throw new ArgumentException("No previews to join.", nameof(previews));
        int channels = previews[0].Length;
        if (previews.Any(p => p.Length != channels)) throw new ArgumentException("Previews differ in channel count.", nameof(previews));
        int gap = (int)Math.Round(gapSeconds * sampleRate);
        long length = previews.Sum(p => (long)p[0].Length) + (long)gap * (previews.Count - 1);
        var joined = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            joined[c] = new float[length];
            long at = 0;
            foreach (var p in previews)
            {
                Array.Copy(p[c], 0, joined[c], at, p[c].Length);
                at += p[c].Length + gap;
            }
        }
        return joined;
    }
}
