using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// Audio latents ↔ transformer tokens (<c>AudioPatchifier</c>, ltx_core/components/patchifiers.py):
/// [B, C, T, F] ↔ [B, T, C·F] with feature index
/// c·F + f (channel-major), one token per latent frame; and each token's [start, end) time in seconds
/// for the audio RoPE, with the causal offset. Positions are computed with the reference's float32
/// operations (index·4 + 1 − 4, clipped at 0, ·hop, / sample rate) so they match bit for bit.
/// </summary>
public sealed class AudioPatchifier
{
    public AudioPatchifier(int sampleRate = 16000, int hopLength = 160, int latentDownsampleFactor = AudioVaeConfig.LatentDownsampleFactor,
        bool isCausal = true, int shift = 0)
    {
        SampleRate = sampleRate;
        HopLength = hopLength;
        LatentDownsampleFactor = latentDownsampleFactor;
        IsCausal = isCausal;
        Shift = shift;
    }

    public int SampleRate { get; }
    public int HopLength { get; }
    public int LatentDownsampleFactor { get; }
    public bool IsCausal { get; }
    /// <summary>Offset added to the latent indices (a window that starts <c>Shift</c> steps into a sequence).</summary>
    public int Shift { get; }

    /// <summary>[B, C, T, F] → [B, T, C·F].</summary>
    public static Tensor Patchify(Tensor latent)
    {
        if (latent.dim() != 4)
            throw new ArgumentException($"Expected a [B, C, T, F] latent, got [{string.Join(", ", latent.shape)}].", nameof(latent));
        long b = latent.shape[0], c = latent.shape[1], t = latent.shape[2], f = latent.shape[3];
        using var p = latent.permute(0, 2, 1, 3);
        return p.reshape(b, t, c * f);
    }

    /// <summary>[B, T, C·F] → [B, C, T, F].</summary>
    public static Tensor Unpatchify(Tensor tokens, long channels, long melBins)
    {
        if (tokens.dim() != 3 || tokens.shape[2] != channels * melBins)
            throw new ArgumentException($"Expected [B, T, {channels * melBins}] tokens, got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        long b = tokens.shape[0], t = tokens.shape[1];
        using var r = tokens.reshape(b, t, channels, melBins);
        using var p = r.permute(0, 2, 1, 3);
        return p.contiguous();
    }

    /// <summary>Per-token [start, end) seconds, [B, 1, T, 2] float32.</summary>
    public Tensor Positions(long batch, long steps, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var start = LatentTimeInSeconds(Shift, steps + Shift, device);
        var end = LatentTimeInSeconds(Shift + 1, steps + Shift + 1, device);
        var s = start.unsqueeze(0).expand(batch, -1).unsqueeze(1);
        var e = end.unsqueeze(0).expand(batch, -1).unsqueeze(1);
        return stack([s, e], dim: -1).MoveToOuterDisposeScope();
    }

    private Tensor LatentTimeInSeconds(long startLatent, long endLatent, Device? device)
    {
        var frame = arange(startLatent, endLatent, dtype: ScalarType.Float32, device: device ?? CPU);
        var mel = frame * LatentDownsampleFactor;
        if (IsCausal)
            mel = (mel + 1 - LatentDownsampleFactor).clip(min: 0);
        return mel * HopLength / SampleRate;
    }
}
