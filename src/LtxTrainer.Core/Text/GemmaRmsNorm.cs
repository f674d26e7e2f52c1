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
        using var scope = torch.NewDisposeScope();
        var xf = x.to(torch.float32);
        var normed = xf * torch.rsqrt(xf.pow(2).mean([-1L], keepdim: true) + eps);
        return (normed * onePlusWeight).to(x.dtype).MoveToOuterDisposeScope();
    }
}
