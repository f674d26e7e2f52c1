using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// Doubles time and frequency: nearest ×2, causal 3×3 conv (<c>upsample.conv.conv.*</c>), then drops the
/// first time row so the causal length is 2t − 1.
/// </summary>
public sealed class Upsample : nn.Module<Tensor, Tensor>
{
    private readonly CausalConv2d conv;

    public Upsample(long channels) : base(nameof(Upsample))
    {
        conv = new CausalConv2d("conv", channels, channels, 3);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var up = nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        var h = conv.forward(up);
        return h[.., .., 1.., ..].MoveToOuterDisposeScope();
    }
}
