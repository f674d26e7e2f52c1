using LtxTrainer.Core.Model.Common;
using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Gemma's RMSNorm: <c>x * rsqrt(mean(x²) + eps) * (1 + w)</c> over the last dimension, computed in
/// float32 and cast back to the input dtype (HF <c>Gemma3RMSNorm</c>).
/// </summary>
public static class GemmaRmsNorm
{
    /// <param name="x">Input of any dtype.</param>
    /// <param name="onePlusWeight">The float32 factor <c>1 + w</c>.</param>
    /// <param name="eps">rms_norm_eps.</param>
    public static torch.Tensor Apply(torch.Tensor x, torch.Tensor onePlusWeight, double eps)
    {
        using var xf = x.to(torch.float32);
        using var normed = RmsNorm.Apply(xf, eps, onePlusWeight);
        return normed.to(x.dtype);
    }
}
