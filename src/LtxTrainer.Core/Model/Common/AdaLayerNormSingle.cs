using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>
/// AdaLN-single (<c>audio_adaln_single</c>, <c>audio_prompt_adaln_single</c>): embeds a timestep and
/// produces <c>rows</c> modulation vectors of width D from it, plus the embedding itself.
/// </summary>
public sealed class AdaLayerNormSingle : nn.Module<Tensor, Tensor>
{
    private readonly TimestepSizeEmbedder emb;
    private readonly FrozenLinear linear;

    public AdaLayerNormSingle(WeightScope w, long dim, int rows) : base(nameof(AdaLayerNormSingle))
    {
        emb = new TimestepSizeEmbedder(w.Sub("emb"), dim);
        linear = new FrozenLinear(w.Sub("linear"), dim, rows * dim);
        RegisterComponents();
    }

    /// <summary>Scaled timesteps [N] → (modulation [N, rows·D], embedded timestep [N, D]).</summary>
    public (Tensor Modulation, Tensor Embedded) Embed(Tensor scaledTimesteps, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var e = emb.forward(scaledTimesteps, dtype);
        var mod = linear.forward(nn.functional.silu(e));
        return (mod.MoveToOuterDisposeScope(), e.MoveToOuterDisposeScope());
    }

    public override Tensor forward(Tensor scaledTimesteps) => Embed(scaledTimesteps, ScalarType.Float32).Modulation;
}
