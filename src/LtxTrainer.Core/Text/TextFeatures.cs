using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Feature-extractor output for a batch of prompts: the audio features [B, L, audio_dim] (what the trainer
/// precomputes as <c>audio_prompt_embeds</c>) and, when requested, the video features. Owns its tensors.
/// </summary>
public sealed class TextFeatures(torch.Tensor audio, torch.Tensor? video) : IDisposable
{
    public torch.Tensor Audio { get; } = audio;

    /// <summary>Video features, or null when the extractor was built without the video projection.</summary>
    public torch.Tensor? Video { get; } = video;

    public void Dispose()
    {
        Audio.Dispose();
        Video?.Dispose();
    }
}
