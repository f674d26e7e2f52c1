using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>Per-position RMS normalisation over channels (dim 1): x / sqrt(mean_c(x²) + 1e-6). No weights.</summary>
public static class PixelNorm
{
    public const double Epsilon = 1e-6;

    public static Tensor Apply(Tensor x)
    {
        using var sq = x.pow(2);
        using var meanSq = sq.mean([1L], keepdim: true);
        using var rms = (meanSq + Epsilon).sqrt_();
        return x / rms;
    }
}
