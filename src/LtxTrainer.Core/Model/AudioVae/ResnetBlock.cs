using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// PixelNorm → SiLU → conv1 → PixelNorm → SiLU → conv2, plus the input (through a 1×1 causal
/// <c>nin_shortcut</c> when the channel count changes). No time embedding; dropout is 0 at inference.
/// </summary>
public sealed class ResnetBlock : nn.Module<Tensor, Tensor>
{
    private readonly CausalConv2d conv1;
    private readonly CausalConv2d conv2;
    private readonly CausalConv2d? nin_shortcut;

    public ResnetBlock(long inChannels, long outChannels) : base(nameof(ResnetBlock))
    {
        conv1 = new CausalConv2d("conv1", inChannels, outChannels, 3);
        conv2 = new CausalConv2d("conv2", outChannels, outChannels, 3);
        if (inChannels != outChannels)
            nin_shortcut = new CausalConv2d("nin_shortcut", inChannels, outChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = conv1.forward(nn.functional.silu(PixelNorm.Apply(x)));
        h = conv2.forward(nn.functional.silu(PixelNorm.Apply(h)));
        var skip = nin_shortcut is null ? x : nin_shortcut.forward(x);
        return (skip + h).MoveToOuterDisposeScope();
    }
}
