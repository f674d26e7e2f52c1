using LtxTrainer.Core.Model.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>
/// <c>net.0.proj</c> (D → 4D) → GELU (tanh approximation) → <c>net.2</c> (4D → D); <c>net.1</c> is an
/// identity (dropout 0) that only shifts the key index.
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> net;

    public FeedForward(WeightScope w, long dim, long innerDim, bool bias) : base(nameof(FeedForward))
    {
        var n = w.Sub("net");
        net = new ModuleList<nn.Module<Tensor, Tensor>>(
            new GeluProjection(n.Sub("0"), dim, innerDim, bias),
            nn.Identity(),
            new LoraLinear(n.Sub("2"), innerDim, dim, bias));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = net[0].forward(x);
        return net[2].forward(h).MoveToOuterDisposeScope();
    }
}
