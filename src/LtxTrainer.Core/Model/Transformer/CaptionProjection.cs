using LtxTrainer.Core.Model.Common;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Transformer;

/// <summary>
/// LTX-2 (19B) only: <c>audio_caption_projection</c> = linear_1 → GELU(tanh) → linear_2, mapping the
/// connector output (3840 wide) to the audio width.
/// </summary>
public sealed class CaptionProjection : nn.Module<Tensor, Tensor>
{
    private readonly FrozenLinear linear_1;
    private readonly FrozenLinear linear_2;

    public CaptionProjection(WeightScope w, long inFeatures, long hidden) : base(nameof(CaptionProjection))
    {
        linear_1 = new FrozenLinear(w.Sub("linear_1"), inFeatures, hidden);
        linear_2 = new FrozenLinear(w.Sub("linear_2"), hidden, hidden);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.gelu(linear_1.forward(x), TorchSharp.Modules.GELU.Approximate.tanh);
        return linear_2.forward(h).MoveToOuterDisposeScope();
    }
}
