namespace LtxTrainer.Core.Audio;

/// <summary>
/// Lengthens a slightly short clip to an exact number of samples.
/// <para>Pitch-preserving: WSOLA (waveform-similarity overlap-add; Verhelst &amp; Roelands 1993, in the form
/// of Driedger &amp; Müller 2016). Hann frames of 32 ms are laid down every 16 ms of output; each is taken
/// from the input near its nominal position, shifted by up to ±8 ms so that it continues the previous
/// frame's waveform. The shift is chosen ONCE per frame on the sum of the channels and applied to every
/// channel: choosing it per channel would splice the channels at different points and smear the stereo
/// image. Output position n is centred on input position n·(in−1)/(out−1), and the parts of frames that
/// fall outside the input carry no weight, so the clip's closing (the suffix the model leads into) is its
/// real last samples rather than padding or a faded overlap.</para>
/// <para>Plain: band-limited resampling of the whole clip onto the longer grid (Hann-windowed sinc, 16 zero
/// crossings each side), which lowers the pitch by the same ratio, like a tape played slower. Lengthening
/// never needs an anti-alias cut, so the kernel keeps the full band.</para>
/// </summary>
public static class TimeStretch
{
    private const int HalfWidth = 16;
    private const double FrameSeconds = 0.032;
    private const double ToleranceSeconds = 0.008;

    /// <summary>Stretches <paramref name="input"/> to exactly <paramref name="outputLength"/> samples.</summary>
    public static float[] ToLength(float[] input, int outputLength, bool preservePitch, int sampleRate) =>
        ToLength(input, input, outputLength, preservePitch, sampleRate).Left;

    /// <summary>
    /// Stretches a stereo pair to exactly <paramref name="outputLength"/> samples per channel, with the same
    /// splice points in both channels.
    /// </summary>
    public static (float[] Left, float[] Right) ToLength(float[] left, float[] right, int outputLength, bool preservePitch, int sampleRate)
    {
        if (left.Length != right.Length) throw new ArgumentException("The channels differ in length.", nameof(right));
        if (outputLength <= 0) return (Array.Empty<float>(), Array.Empty<float>());
        if (left.Length == 0) return (new float[outputLength], new float[outputLength]);
        bool same = ReferenceEquals(left, right);
        if (left.Length == outputLength) return ((float[])left.Clone(), same ? (float[])left.Clone() : (float[])right.Clone());
        if (!preservePitch)
        {
            var l = Resampled(left, outputLength);
            return (l, same ? (float[])l.Clone() : Resampled(right, outputLength));
        }
        var channels = same ? new[] { left } : new[] { left, right };
        var stretched = Wsola(channels, outputLength, sampleRate);
        return (stretched[0], same ? (float[])stretched[0].Clone() : stretched[1]);
    }

    private static float[][] Wsola(float[][] channels, int outputLength, int sampleRate)
    {
        int inputLength = channels[0].Length;
        int frame = Math.Max(4, (int)(FrameSeconds * sampleRate) & ~1);
        int half = frame / 2;
        int synthesisHop = half; // 50 % overlap: periodic Hann frames sum to one
        int tolerance = Math.Max(1, (int)(ToleranceSeconds * sampleRate));
        double analysisHop = synthesisHop * (inputLength - 1.0) / Math.Max(1, outputLength - 1);
        var window = new double[frame];
        for (int i = 0; i < frame; i++) window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / frame);

        // The similarity search runs on the channel sum; mono passes through unchanged.
        var guide = channels[0];
        if (channels.Length > 1)
        {
            guide = new float[inputLength];
            foreach (var channel in channels)
                for (int i = 0; i < inputLength; i++) guide[i] += channel[i];
        }
        float At(float[] x, long i) => (ulong)i < (ulong)x.Length ? x[i] : 0f;

        var outputs = channels.Select(_ => new double[outputLength]).ToArray();
        var weight = new double[outputLength];
        int frames = (outputLength - 1) / synthesisHop + 2;
        long previousStart = 0; // start of the previous frame's input segment
        for (int m = 0; m < frames; m++)
        {
            long synthesisStart = (long)m * synthesisHop - half;
            long nominal = (long)Math.Round(m * analysisHop) - half;
            long start = nominal;
            if (m > 0)
            {
                // Find the shift whose segment best continues the previous frame's natural progression.
                long natural = previousStart + synthesisHop;
                double best = double.NegativeInfinity;
                for (int delta = -tolerance; delta <= tolerance; delta++)
                {
                    double score = 0;
                    long candidate = nominal + delta;
                    for (int i = 0; i < frame; i++) score += (double)At(guide, natural + i) * At(guide, candidate + i);
                    if (score > best)
                    {
                        best = score;
                        start = candidate;
                    }
                }
            }
            previousStart = start;
            for (int i = 0; i < frame; i++)
            {
                long n = synthesisStart + i;
                // Within a frame time runs 1:1, so frames near the end reach past the input. Those parts
                // carry no weight: the end is then made of the frames that hold real samples, unattenuated.
                if ((ulong)n >= (ulong)outputLength || (ulong)(start + i) >= (ulong)inputLength) continue;
                weight[n] += window[i];
                for (int c = 0; c < channels.Length; c++) outputs[c][n] += window[i] * At(channels[c], start + i);
            }
        }
        return outputs.Select(o =>
        {
            var result = new float[outputLength];
            for (int n = 0; n < outputLength; n++) result[n] = weight[n] > 1e-9 ? (float)(o[n] / weight[n]) : 0f;
            return result;
        }).ToArray();
    }

    private static float[] Resampled(float[] input, int outputLength)
    {
        var output = new float[outputLength];
        // Positions map the first and last samples onto each other (no drift at either end).
        double step = outputLength > 1 ? (input.Length - 1.0) / (outputLength - 1.0) : 0.0;
        for (int n = 0; n < outputLength; n++)
        {
            double t = n * step;
            int centre = (int)Math.Floor(t);
            double frac = t - centre;
            double sum = 0;
            for (int k = -HalfWidth + 1; k <= HalfWidth; k++)
            {
                int i = centre + k;
                if ((uint)i >= (uint)input.Length) continue;
                double x = k - frac;
                sum += input[i] * Sinc(x) * HannWindow(x);
            }
            output[n] = (float)sum;
        }
        return output;
    }

    private static double Sinc(double x) => Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    private static double HannWindow(double x) => Math.Abs(x) >= HalfWidth ? 0.0 : 0.5 * (1 + Math.Cos(Math.PI * x / HalfWidth));
}
