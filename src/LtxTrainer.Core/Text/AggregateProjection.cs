using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// One <c>text_embedding_projection.*aggregate_embed</c> Linear(hidden × states → out), read from an LTX
/// checkpoint with its shape checked against the Gemma model it will be fed by.
/// </summary>
public sealed class AggregateProjection : IDisposable
{
    private AggregateProjection(torch.Tensor weight, torch.Tensor? bias, int stateCount)
    {
        Weight = weight;
        Bias = bias;
        StateCount = stateCount;
    }

    public torch.Tensor Weight { get; }

    public torch.Tensor? Bias { get; }

    public int OutFeatures => (int)Weight.shape[0];

    /// <summary>Number of hidden states S the input is made of (input width = hidden × S).</summary>
    public int StateCount { get; }

    /// <summary>Loads <paramref name="prefix"/>weight (and bias when present, or required).</summary>
    public static AggregateProjection Load(ITensorSource source, string prefix, Gemma3TextConfig gemma, bool requireBias,
        torch.ScalarType dtype, torch.Device device)
    {
        long inFeatures = (long)gemma.HiddenSize * gemma.HiddenStateCount;
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
            return new AggregateProjection(weight, biasInfo is null ? null : source.Load(prefix + "bias", dtype, device), gemma.HiddenStateCount);
        }
        catch
        {
            weight.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Weight.Dispose();
        Bias?.Dispose();
    }
}
