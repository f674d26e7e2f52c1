using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>A linear layer whose weight and bias come from the checkpoint and are never trained.</summary>
public sealed class FrozenLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter? _bias;

    public FrozenLinear(WeightScope w, long inFeatures, long outFeatures, bool bias = true) : base(nameof(FrozenLinear))
    {
        _weight = w.Frozen("weight", outFeatures, inFeatures);
        register_parameter("weight", _weight);
        if (bias)
        {
            _bias = w.Frozen("bias", outFeatures);
            register_parameter("bias", _bias);
        }
    }

    public Tensor Weight => _weight;

    public override Tensor forward(Tensor x) => nn.functional.linear(x, _weight, _bias);
}
