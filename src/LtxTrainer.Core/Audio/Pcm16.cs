using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Audio;

/// <summary>
/// Float waveform → 16-bit PCM as the reference writes files (<c>_save_audio</c> in ltx_trainer/validation_runner.py):
/// samples
/// clipped to [-1, 1], multiplied by 32767 in float32, truncated toward zero.
/// </summary>
public static class Pcm16
{
    /// <summary>One sample.</summary>
    public static short FromSample(float x) => (short)(Math.Clamp(x, -1f, 1f) * 32767f);

    /// <summary>
    /// Interleaved frames (L R L R …) of a [channels, samples] waveform (a [1, channels, samples]
    /// batch of one is accepted too). Length = channels × samples.
    /// </summary>
    public static short[] FromWaveform(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var w = waveform.dim() == 3 && waveform.shape[0] == 1 ? waveform[0] : waveform;
        if (w.dim() != 2)
            throw new ArgumentException($"Expected a [channels, samples] waveform, got [{string.Join(", ", waveform.shape)}].", nameof(waveform));
        var frames = w.detach().to(ScalarType.Float32, CPU).t().contiguous(); // [samples, channels]
        var data = frames.data<float>();
        var pcm = new short[data.Count];
        int i = 0;
        foreach (var v in data) pcm[i++] = FromSample(v);
        return pcm;
    }

    /// <summary>Interleaved frames of per-channel arrays of equal length.</summary>
    public static short[] FromChannels(IReadOnlyList<float[]> channels)
    {
        if (channels.Count == 0) return [];
        int n = channels[0].Length, c = channels.Count;
        if (channels.Any(ch => ch.Length != n))
            throw new ArgumentException("All channels must have the same number of samples.", nameof(channels));
        var pcm = new short[n * c];
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                pcm[s * c + ch] = FromSample(channels[ch][s]);
        return pcm;
    }
}
