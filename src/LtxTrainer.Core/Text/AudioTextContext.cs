using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// What the audio transformer cross-attends to for a batch of captions: the connector output
/// [B, L, audio_inner] and its mask [B, L] (int64). After the connector every position holds a real token or
/// a learnable register, so the mask is all ones (the trainer turns it into an all-zero additive bias).
/// Owns its tensors.
/// </summary>
public sealed class AudioTextContext(torch.Tensor context, torch.Tensor mask) : IDisposable
{
    public torch.Tensor Context { get; } = context;

    public torch.Tensor Mask { get; } = mask;

    public void Dispose()
    {
        Context.Dispose();
        Mask.Dispose();
    }
}
