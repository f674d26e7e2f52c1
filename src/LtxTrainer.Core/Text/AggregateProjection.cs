using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// One <c>text_embedding_projection.*aggregate_embed</c> Linear(hidden × states → out), read from an LTX
/// checkpoint with its shape checked against the Gemma model it will be fed by.
/// </summary>
public sealed class AggregateProjection : IDisposable
{
    private AggregateProjection(torch.Tensor weight, torch.Tensor? bias)
    {
        Weight = weight;
        Bias = bias;
    }

    public torch.Tensor Weight { get; }

    public torch.Tensor? Bias { get; }

    public int OutFeatures => (int)Weight.shape[0];

    /// <summary>Loads <paramref name="prefix"/>weight (and bias when present, or required).</summary>
    public static AggregateProjection Load(ITensorSource source, string prefix, long inFeatures, bool requireBias,
        torch.ScalarType dtype, torch.Device device)
    {
        string file = GemmaCheckpoint.SourcePath(source);
        var info = source.TryGetInfo(prefix + "weight")
            ?? throw new CheckpointFormatException($"'{file}' has no '{prefix}weight' (the LTX text feature-extractor projection).", file, prefix + "weight");
        if (info.Shape.Length != 2 || info.Shape[1] != inFeatures)
            throw new CheckpointFormatException(
                $"'{file}': '{prefix}weight' has shape [{string.Join(", ", info.Shape)}], but the Gemma model gives {inFeatures} features per token (hidden size × hidden states).",
                file, prefix + "weight");
        var biasInfo = source.TryGetInfo(prefix + "bias");
        if (biasInfo is null && requireBias)
            throw new CheckpointFormatException($"'{file}' has no '{prefix}bias'.", file, prefix + "bias");
        if (biasInfo is not null && !biasInfo.Shape.SequenceEqual([info.Shape[0]]))
            throw new CheckpointFormatException($"'{file}': '{prefix}bias' has shape [{string.Join(", ", biasInfo.Shape)}], expected [{info.Shape[0]}].", file, prefix + "bias");
        var weight = source.Load(prefix + "weight", dtype, device);
        try
        {
            return new AggregateProjection(weight, biasInfo is null ? null : source.Load(prefix + "bias", dtype, device));
        }
        catch
        {
            weight.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The projection of the flattened features [B, L, hidden × S] (state index fastest), computed one hidden
    /// state at a time: Σ_l normalized_l · W[:, :, l]ᵀ. Equal to projecting the flat tensor, without ever
    /// materializing it (for Gemma 3 12B that tensor is 188160 wide: 0.77 GB per prompt in float32, several
    /// times over in temporaries).
    /// </summary>
    /// <param name="states">Number of hidden states S.</param>
    /// <param name="normalizedState">Hidden state l, normalized, [B, L, hidden].</param>
    /// <param name="scale">Factor applied to the normalized input (the V2 rescale; 1 for V1).</param>
    /// <param name="mask">[B, L] attention mask: padded tokens have zero input, so their output is the bias.</param>
    public torch.Tensor ForwardStateWise(int states, Func<int, torch.Tensor> normalizedState, double scale, torch.Tensor mask)
    {
        using var scope = torch.NewDisposeScope();
        var perState = Weight.view(Weight.shape[0], -1, states);
        torch.Tensor? sum = null;
        for (int l = 0; l < states; l++)
        {
            using var inner = torch.NewDisposeScope();
            var part = torch.nn.functional.linear(normalizedState(l).to(Weight.dtype), perState.select(2, l));
            sum = sum is null ? part.MoveToOuterDisposeScope() : sum.add_(part);
        }
        var keep = mask.to(Weight.device).to(torch.@bool).unsqueeze(-1);
        var result = torch.where(keep, sum! * scale, torch.zeros(1, dtype: Weight.dtype, device: Weight.device));
        if (Bias is not null) result = result + Bias;
        return result.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Weight.Dispose();
        Bias?.Dispose();
    }
}
