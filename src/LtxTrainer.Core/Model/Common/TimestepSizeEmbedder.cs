using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>
/// The <c>emb</c> module of AdaLN-single (PixArt-α's combined embedder without size conditioning): it only
/// holds <c>timestep_embedder</c>, but the level exists in the checkpoint keys.
/// </summary>
public sealed class TimestepSizeEmbedder : nn.Module<Tensor, Tensor>
{
    private readonly TimestepEmbedding timestep_embedder;

    public TimestepSizeEmbedder(WeightScope w, long dim) : base(nameof(TimestepSizeEmbedder))
    {
        timestep_embedder = new TimestepEmbedding(w.Sub("timestep_embedder"), dim);
        RegisterComponents();
    }

    public Tensor forward(Tensor scaledTimesteps, ScalarType dtype) => timestep_embedder.forward(scaledTimesteps, dtype);

    public override Tensor forward(Tensor scaledTimesteps) => forward(scaledTimesteps, ScalarType.Float32);
}
