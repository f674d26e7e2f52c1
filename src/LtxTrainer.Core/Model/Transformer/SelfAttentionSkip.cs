namespace LtxTrainer.Core.Model.Transformer;

/// <summary>
/// STG perturbation (ltx_core/guidance/perturbations.py): in <see cref="Blocks"/>, the audio self-attention of the
/// samples flagged in
/// <see cref="Samples"/> (null = every sample) is replaced by its value projection.
/// </summary>
public sealed record SelfAttentionSkip(IReadOnlySet<int> Blocks, IReadOnlyList<bool>? Samples = null)
{
    public bool AllSamples => Samples is null || Samples.All(s => s);
    public bool AnySample => Samples is null || Samples.Any(s => s);
}
