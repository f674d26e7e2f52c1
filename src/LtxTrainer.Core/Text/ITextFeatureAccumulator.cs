using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Feature extraction for one batch, fed one hidden state at a time (in order 0..S-1), so the stack of
/// all hidden states never has to exist. Obtained from <see cref="ITextFeatureExtractor.Begin"/>.
/// </summary>
public interface ITextFeatureAccumulator : IDisposable
{
    /// <summary>Adds hidden state <paramref name="index"/> [B, L, hidden]; the tensor is not kept.</summary>
    void Add(int index, torch.Tensor state);

    /// <summary>The features after every state was added (the caller owns them).</summary>
    TextFeatures Finish();
}
