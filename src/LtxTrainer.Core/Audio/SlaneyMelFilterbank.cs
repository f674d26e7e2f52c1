using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Audio;

/// <summary>
/// The triangular mel filterbank of <c>torchaudio.functional.melscale_fbanks</c> with the Slaney mel
/// scale and Slaney area normalisation, built with the same float32 tensor operations in the same order
/// so the result matches torchaudio to the last bits.
/// </summary>
public static class SlaneyMelFilterbank
{
    private const double MinLogHz = 1000.0;
    private const double LinearHzPerMel = 200.0 / 3;
    private const double MinLogMel = MinLogHz / LinearHzPerMel;
    private static readonly double LogStep = Math.Log(6.4) / 27.0;

    /// <summary>Filterbank of shape [nFft/2 + 1, nMels] (frequency × mel), float32.</summary>
    public static Tensor Create(int sampleRate, int nFft, int nMels, double fMin, double fMax)
    {
        if (nMels <= 0) throw new ArgumentOutOfRangeException(nameof(nMels));
        if (fMax <= fMin) throw new ArgumentOutOfRangeException(nameof(fMax), "f_max must exceed f_min.");
        int nFreqs = nFft / 2 + 1;
        using var scope = NewDisposeScope();
        // torchaudio: linspace(0, sample_rate // 2, n_freqs); the mel points are float32 too.
        var allFreqs = linspace(0, sampleRate / 2, nFreqs, dtype: ScalarType.Float32);
        var melPoints = linspace(HzToMel(fMin), HzToMel(fMax), nMels + 2, dtype: ScalarType.Float32);
        var fPts = MelToHz(melPoints);

        var fDiff = fPts[1..] - fPts[..^1];
        var slopes = fPts.unsqueeze(0) - allFreqs.unsqueeze(1);
        var down = -slopes[.., ..^2] / fDiff[..^1];
        var up = slopes[.., 2..] / fDiff[1..];
        var fb = maximum(zeros(1, dtype: ScalarType.Float32), minimum(down, up));

        var enorm = 2.0 / (fPts[2..(nMels + 2)] - fPts[..nMels]);
        fb = fb * enorm.unsqueeze(0);
        return fb.MoveToOuterDisposeScope();
    }

    private static double HzToMel(double hz)
    {
        double mel = hz / LinearHzPerMel;
        if (hz >= MinLogHz) mel = MinLogMel + Math.Log(hz / MinLogHz) / LogStep;
        return mel;
    }

    private static Tensor MelToHz(Tensor mels)
    {
        var linear = mels * LinearHzPerMel;
        var logPart = exp((mels - MinLogMel) * LogStep) * MinLogHz;
        return where(mels >= MinLogMel, logPart, linear);
    }
}
