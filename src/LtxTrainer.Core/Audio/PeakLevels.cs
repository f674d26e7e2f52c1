namespace LtxTrainer.Core.Audio;

/// <summary>
/// The documented levels for peak normalisation and silence detection.
/// <para>Target −1 dBFS leaves headroom for the resampler's and the VAE round trip's overshoot.
/// Floor −60 dBFS: a clip whose loudest sample is 1/1000 of full scale holds nothing but noise for this
/// purpose, and normalising it would raise that noise by 59 dB; it is skipped as silent, so a gain
/// is never computed from a (near-)zero peak.</para>
/// </summary>
public static class PeakLevels
{
    public const double TargetDbfs = -1.0;
    public const double SilenceFloorDbfs = -60.0;

    public static float TargetPeak => (float)FromDbfs(TargetDbfs);
    public static float SilenceFloor => (float)FromDbfs(SilenceFloorDbfs);

    public static double FromDbfs(double dbfs) => Math.Pow(10.0, dbfs / 20.0);

    public static double ToDbfs(double peak) => peak > 0 ? 20.0 * Math.Log10(peak) : double.NegativeInfinity;

    /// <summary>Largest absolute sample over both channels; NaN when any sample is NaN or infinite.</summary>
    public static float Peak(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        float a = Peak(left), b = Peak(right);
        return float.IsNaN(a) || float.IsNaN(b) ? float.NaN : Math.Max(a, b);
    }

    private static float Peak(ReadOnlySpan<float> samples)
    {
        float peak = 0f;
        foreach (var v in samples)
        {
            if (!float.IsFinite(v)) return float.NaN;
            float a = Math.Abs(v);
            if (a > peak) peak = a;
        }
        return peak;
    }
}
