using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Audio;

/// <summary>
/// The audio VAE's front-end (<c>AudioProcessor</c>, ltx_core/model/audio_vae/ops.py): torchaudio <c>MelSpectrogram</c>
/// with a periodic Hann window,
/// <c>center=True</c> reflect padding, magnitude (power 1), Slaney mel filterbank from 0 Hz to Nyquist,
/// then <c>log(clamp(mel, 1e-5))</c> laid out as [B, C, T, mels]. Channels are processed independently;
/// T = 1 + floor(N / hop). Everything runs in float32.
/// </summary>
public sealed class LogMelSpectrogram : IDisposable
{
    /// <summary>Floor applied before the natural log (the reference's clamp).</summary>
    public const double LogFloor = 1e-5;

    private readonly Tensor _window;
    private readonly Tensor _filterbank; // [freq, mels]

    public LogMelSpectrogram(int sampleRate = 16000, int nFft = 1024, int hopLength = 160, int melBins = 64, Device? device = null)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate));
        if (hopLength <= 0) throw new ArgumentOutOfRangeException(nameof(hopLength));
        SampleRate = sampleRate;
        NFft = nFft;
        HopLength = hopLength;
        MelBins = melBins;
        var dev = device ?? CPU;
        _window = hann_window(nFft, periodic: true, dtype: ScalarType.Float32, device: dev);
        using var fb = SlaneyMelFilterbank.Create(sampleRate, nFft, melBins, 0.0, sampleRate / 2.0);
        _filterbank = fb.to(dev);
    }

    public int SampleRate { get; }
    public int NFft { get; }
    public int HopLength { get; }
    public int MelBins { get; }

    /// <summary>The filterbank, [nFft/2 + 1, mels].</summary>
    public Tensor Filterbank => _filterbank;

    /// <summary>The STFT window (periodic Hann, length nFft).</summary>
    public Tensor Window => _window;

    /// <summary>Mel frames produced for <paramref name="samples"/> input samples.</summary>
    public long Frames(long samples) => 1 + samples / HopLength;

    /// <summary>Linear mel magnitudes, [B, C, mels, T] (torchaudio's layout), for a [B, C, N] waveform.</summary>
    public Tensor MelLinear(Tensor waveform)
    {
        if (waveform.dim() != 3)
            throw new ArgumentException($"Expected a [batch, channels, samples] waveform, got [{string.Join(", ", waveform.shape)}].", nameof(waveform));
        long b = waveform.shape[0], c = waveform.shape[1], n = waveform.shape[2];
        // Reflect padding needs more samples than half the window.
        if (n <= NFft / 2)
            throw new ArgumentException($"The waveform has {n} samples; the centred STFT needs more than {NFft / 2}.", nameof(waveform));
        using var scope = NewDisposeScope();
        var x = waveform.to(ScalarType.Float32, _window.device).reshape(b * c, n);
        var spec = stft(x, NFft, HopLength, NFft, _window, center: true, pad_mode: PaddingModes.Reflect,
            normalized: false, onesided: true, return_complex: true).abs();               // [BC, F, T]
        var mel = matmul(spec.transpose(1, 2), _filterbank).transpose(1, 2);              // [BC, M, T]
        return mel.reshape(b, c, MelBins, mel.shape[2]).MoveToOuterDisposeScope();
    }

    /// <summary>Log-mel [B, C, T, mels] of a [B, C, N] waveform at <see cref="SampleRate"/>.</summary>
    public Tensor Forward(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var mel = MelLinear(waveform);
        return log(clamp(mel, min: LogFloor)).permute(0, 1, 3, 2).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Log-mel [1, C, T, mels] of per-channel sample arrays at any rate; other rates are first resampled
    /// to <see cref="SampleRate"/> exactly as torchaudio's default resampler does.
    /// </summary>
    public Tensor Forward(IReadOnlyList<float[]> channels, int sampleRate)
    {
        using var wave = ToWaveform(channels, sampleRate, SampleRate, _window.device);
        return Forward(wave);
    }

    /// <summary>Log-mel [1, C, T, mels] of samples laid out [channels, samples] at any rate.</summary>
    public Tensor Forward(float[,] samples, int sampleRate)
    {
        int channels = samples.GetLength(0), n = samples.GetLength(1);
        var rows = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            rows[c] = new float[n];
            for (int i = 0; i < n; i++) rows[c][i] = samples[c, i];
        }
        return Forward(rows, sampleRate);
    }

    /// <summary>
    /// [1, C, N'] float32 tensor of per-channel samples, resampled from <paramref name="sampleRate"/>
    /// to <paramref name="targetRate"/> with <see cref="SincResampler"/> when they differ.
    /// </summary>
    public static Tensor ToWaveform(IReadOnlyList<float[]> channels, int sampleRate, int targetRate, Device? device = null)
    {
        if (channels.Count == 0) throw new ArgumentException("No channels.", nameof(channels));
        int len = channels[0].Length;
        if (channels.Any(ch => ch.Length != len))
            throw new ArgumentException("All channels must have the same number of samples.", nameof(channels));
        long outLen = SincResampler.OutputLength(len, sampleRate, targetRate);
        var all = new float[channels.Count * outLen];
        for (int ch = 0; ch < channels.Count; ch++)
            SincResampler.Resample(channels[ch], sampleRate, targetRate).CopyTo(all, ch * outLen);
        using var cpu = tensor(all, new long[] { 1, channels.Count, outLen });
        return cpu.to(device ?? CPU);
    }

    public void Dispose()
    {
        _window.Dispose();
        _filterbank.Dispose();
    }
}
