using LtxTrainer.Core.Audio;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Demo;

/// <summary>
/// The vocoder buffers a real LTX-2.3 checkpoint stores and the loaders read rather than recompute
/// (<c>ltx_core/model/audio_vae/vocoder.py</c>): the anti-aliasing Kaiser-windowed sinc of every
/// <c>Activation1d</c>, the BWE's windowed-DFT STFT bases and its Slaney mel basis. A demo model must hold
/// the right values, not random ones, or its vocoder would not be one.
/// </summary>
public static class VocoderBuffers
{
    /// <summary>
    /// BigVGAN's <c>kaiser_sinc_filter1d(cutoff, half_width, kernel)</c> as [1, 1, kernel] float32: Kaiser window with
    /// β from the Kaiser design formula for a transition width of 4·half_width, times the sinc at cutoff, normalised
    /// to sum 1. The anti-aliasing filters use cutoff 0.5/ratio and half-width 0.6/ratio (0.25 and 0.3 at ratio 2).
    /// </summary>
    public static Tensor KaiserSincFilter(double cutoff, double halfWidth, int kernelSize)
    {
        bool even = kernelSize % 2 == 0;
        int halfSize = kernelSize / 2;
        double deltaF = 4 * halfWidth;
        double a = 2.285 * (halfSize - 1) * Math.PI * deltaF + 7.95;
        double beta = a > 50 ? 0.1102 * (a - 8.7) : a >= 21 ? 0.5842 * Math.Pow(a - 21, 0.4) + 0.07886 * (a - 21) : 0.0;
        var values = new double[kernelSize];
        double sum = 0;
        for (int n = 0; n < kernelSize; n++)
        {
            // torch.kaiser_window(periodic=False): I0(β·sqrt(1 − (2n/(N−1) − 1)²)) / I0(β).
            double ratio = kernelSize == 1 ? 0 : 2.0 * n / (kernelSize - 1) - 1;
            double window = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - ratio * ratio))) / BesselI0(beta);
            double time = even ? n - halfSize + 0.5 : n - halfSize;
            values[n] = 2 * cutoff * window * Sinc(2 * cutoff * time);
            sum += values[n];
        }
        return tensor(values.Select(v => (float)(v / sum)).ToArray()).view(1, 1, kernelSize);
    }

    /// <summary>
    /// The STFT's <c>forward_basis</c> and <c>inverse_basis</c> [2·(n_fft/2+1), 1, n_fft]: rows = [real ; imaginary]
    /// of the DFT matrix's first n_fft/2+1 rows times the periodic Hann window; the inverse is the scaled
    /// pseudo-inverse (scale n_fft/hop) times the window, as in the Tacotron-style <c>STFT</c> module upstream uses.
    /// </summary>
    public static (Tensor Forward, Tensor Inverse) StftBases(int nFft, int hopLength)
    {
        using var scope = NewDisposeScope();
        int freqs = nFft / 2 + 1;
        var n = arange(nFft, dtype: ScalarType.Float64);
        var k = arange(freqs, dtype: ScalarType.Float64).unsqueeze(1);
        // Scalars held until the calls return (an implicit operator Scalar can be finalized mid-call).
        using var step = (2 * Math.PI / nFft).ToScalar();
        using var scale = ((double)nFft / hopLength).ToScalar();
        var angle = (k * n.unsqueeze(0)).mul_(step);
        // The DFT's kernel is exp(−iωn): real part cos, imaginary part −sin.
        var fourier = cat([angle.cos(), -angle.sin()], 0);                       // [2F, n_fft]
        var window = hann_window(nFft, periodic: true, dtype: ScalarType.Float64);
        var forward = (fourier * window).to(ScalarType.Float32).unsqueeze(1);
        var inverse = (linalg.pinv(fourier.mul(scale)).T * window).to(ScalarType.Float32).unsqueeze(1);
        return (forward.MoveToOuterDisposeScope(), inverse.MoveToOuterDisposeScope());
    }

    /// <summary>The BWE's <c>mel_basis</c> [mels, n_fft/2+1]: Slaney mel scale and area norm, 0 Hz to half the rate.</summary>
    public static Tensor MelBasis(int sampleRate, int nFft, int numMels)
    {
        using var filterbank = SlaneyMelFilterbank.Create(sampleRate, nFft, numMels, 0, sampleRate / 2.0);
        return filterbank.T.contiguous();
    }

    private static double Sinc(double x) => x == 0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    // Power series of the modified Bessel function of the first kind, order 0 (converges fast for β ≈ 5).
    private static double BesselI0(double x)
    {
        double term = 1, sum = 1, quarter = x * x / 4;
        for (int k = 1; k < 60 && term > 1e-17 * sum; k++)
        {
            term *= quarter / ((double)k * k);
            sum += term;
        }
        return sum;
    }
}
