using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// The encoded form of one caption: its audio features [L, audio_dim] (float32, CPU; the feature
/// extractor output the trainer feeds to the audio connector) and the attention mask [L] (int64, left
/// padding). Owns its tensors.
/// </summary>
public sealed class CaptionEmbedding(string caption, torch.Tensor audioFeatures, torch.Tensor attentionMask, bool truncated) : IDisposable
{
    public string Caption { get; } = caption;

    public torch.Tensor AudioFeatures { get; } = audioFeatures;

    public torch.Tensor AttentionMask { get; } = attentionMask;

    /// <summary>The caption was longer than the maximum length and lost its tail.</summary>
    public bool Truncated { get; } = truncated;

    /// <summary>Number of real tokens (BOS included).</summary>
    public int ValidTokens
    {
        get
        {
            using var count = AttentionMask.sum();
            return (int)count.item<long>();
        }
    }

    public void Dispose()
    {
        AudioFeatures.Dispose();
        AttentionMask.Dispose();
    }
}
