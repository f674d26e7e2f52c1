using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>RMSNorm with a learned weight (the attention's <c>q_norm</c> / <c>k_norm</c>, over all heads together).</summary>
public sealed class WeightedRmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly double _eps;

    public WeightedRmsNorm(WeightScope w, long dim, double eps) : base(nameof(WeightedRmsNorm))
    {
        _weight = w.Frozen("weight", dim);
        _eps = eps;
        register_parameter("weight", _weight);
    }

    public override Tensor forward(Tensor x) => RmsNorm.Apply(x, _eps, _weight);
}
