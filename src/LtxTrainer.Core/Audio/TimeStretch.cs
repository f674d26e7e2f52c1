using NWaves.Operations;
using NWaves.Signals;

namespace LtxTrainer.Core.Audio;

/// <summary>
/// Lengthens a slightly short clip to an exact number of samples.
/// <para>Pitch-preserving: NWaves' WSOLA (waveform-similarity overlap-add), then trimmed/zero-padded by the
/// few samples its frame hop leaves over. Plain: band-limited resampling of the whole clip onto the longer
/// grid (Hann-windowed sinc, 16 zero crossings each side), which lowers the pitch by the same ratio, like a
/// tape played slower. Lengthening never needs an anti-alias cut, so the kernel keeps the full band.</para>
/// </summary>
public static class TimeStretch
{
    private const int HalfWidth = 16;

    /// <summary>Stretches <paramref name="input"/> to exactly <paramref name="outputLength"/> samples.</summary>
    public static float[] ToLength(float[] input, int outputLength, bool preservePitch, int sampleRate)
    {
        if (outputLength <= 0) return Array.Empty<float>();
        if (input.Length == 0) return new float[outputLength];
        if (input.Length == outputLength) return (float[])input.Clone();
        return preservePitch ? Wsola(input, outputLength, sampleRate) : Resampled(input, outputLength);
    }

    private static float[] Wsola(float[] input, int outputLength, int sampleRate)
    {
        double ratio = (double)outputLength / input.Length;
        var stretched = Operation.TimeStretch(new DiscreteSignal(sampleRate, input), ratio, NWaves.Operations.Tsm.TsmAlgorithm.Wsola).Samples;
        var result = new float[outputLength];
        Array.Copy(stretched, result, Math.Min(outputLength, stretched.Length));
        return result;
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
