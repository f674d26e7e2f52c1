using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>
/// RMS normalisation over the last dimension, <c>x · rsqrt(mean(x²) + eps) [· weight]</c>, as
/// <c>torch.nn.functional.rms_norm</c> computes it (TorchSharp 0.107 has no RMSNorm).
/// </summary>
public static class RmsNorm
{
    public static Tensor Apply(Tensor x, double eps, Tensor? weight = null)
    {
        using var scope = NewDisposeScope();
        var y = x * x.square().mean([-1L], keepdim: true).add(eps).rsqrt();
        if (weight is not null) y = y * weight;
        return y.MoveToOuterDisposeScope();
    }
}
