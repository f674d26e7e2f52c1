using LtxTrainer.Core.Model.Lora;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>The feed-forward's first stage: <c>proj</c> then GELU with the tanh approximation.</summary>
public sealed class GeluProjection : nn.Module<Tensor, Tensor>
{
    private readonly LoraLinear proj;

    public GeluProjection(WeightScope w, long dim, long innerDim, bool bias) : base(nameof(GeluProjection))
    {
        proj = new LoraLinear(w.Sub("proj"), dim, innerDim, bias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = proj.forward(x);
        return nn.functional.gelu(h, TorchSharp.Modules.GELU.Approximate.tanh);
    }
}
