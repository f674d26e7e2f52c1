using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// The BWE stage's causal log-mel (<c>mel_stft.*</c>): <see cref="CausalStft"/> magnitude, projected by the
/// checkpoint's <c>mel_basis</c> [mels, freqs], then log(clamp(·, 1e-5)). Buffers are loaded (bf16 in
/// the real file) rather than recomputed, so the BWE sees exactly the features it was trained on.
/// </summary>
public sealed class MelStft : nn.Module<Tensor, Tensor>
{
    private readonly CausalStft stft_fn;
    private readonly Tensor mel_basis;

    public MelStft(int nFft, int hopLength, int numMels) : base("mel_stft")
    {
        stft_fn = new CausalStft(nFft, hopLength);
        mel_basis = zeros(numMels, nFft / 2 + 1);
        RegisterComponents();
    }

    /// <summary>The STFT part (its basis layout can be validated after loading).</summary>
    public CausalStft Stft => stft_fn;

    /// <summary>Log-mel [N, mels, frames] of waveforms [N, T].</summary>
    public override Tensor forward(Tensor y)
    {
        using var scope = NewDisposeScope();
        var magnitude = stft_fn.forward(y);
        var mel = matmul(mel_basis, magnitude);
        return log(clamp(mel, min: 1e-5)).MoveToOuterDisposeScope();
    }
}
