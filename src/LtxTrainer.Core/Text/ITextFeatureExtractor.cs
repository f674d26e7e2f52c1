using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>The LTX feature extractor: all Gemma hidden states of a batch → per-token features.</summary>
public interface ITextFeatureExtractor : IDisposable
{
    /// <summary>Which variant this is ("V2" for LTX-2.3 / 22B, "V1" for LTX-2 / 19B).</summary>
    string Variant { get; }

    /// <summary>Width of the audio features.</summary>
    int AudioDim { get; }

    /// <summary>Starts a batch; <paramref name="attentionMask"/> is [B, L], 1 = token, 0 = padding.</summary>
    ITextFeatureAccumulator Begin(torch.Tensor attentionMask);

    /// <param name="hiddenStates">[states, B, L, hidden] as returned by <see cref="Gemma3TextModel.Forward"/>.</param>
    /// <param name="attentionMask">[B, L] 1 = token, 0 = padding (left padding).</param>
    TextFeatures Extract(torch.Tensor hiddenStates, torch.Tensor attentionMask)
    {
        using var accumulator = Begin(attentionMask);
        for (int l = 0; l < hiddenStates.shape[0]; l++)
        {
            using var state = hiddenStates[l];
            accumulator.Add(l, state);
        }
        return accumulator.Finish();
    }
}
