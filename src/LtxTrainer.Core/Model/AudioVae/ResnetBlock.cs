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
        // Intermediates are freed as soon as they are used: at level 0 of a long clip each one is
        // channels × time × 64 floats, and a scope would keep all of them alive until the block ends.
        var h = NormActConv(conv1, x);
        using (h)
        {
            var h2 = NormActConv(conv2, h);
            if (nin_shortcut is null) return h2.add_(x);
            using var skip = nin_shortcut.forward(x);
            return h2.add_(skip);
        }
    }

    private static Tensor NormActConv(CausalConv2d conv, Tensor x)
    {
        using var normed = PixelNorm.Apply(x);
        using var activated = nn.functional.silu(normed);
        return conv.forward(activated);
    }
}
