using LtxTrainer.Core.Tests.Golden;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Audio;

/// <summary>
/// Test oracle for the trainer goldens: the reference log-mel (|STFT| with the golden's stored window,
/// times the golden's stored slaney filterbank, log(clamp(1e-5))). It is itself checked against the
/// golden <c>frontend_16k</c> case before it is used, so the downmix tests compare like with like.
/// </summary>
internal sealed class ReferenceLogMel : IDisposable
{
    private readonly Tensor _window;
    private readonly Tensor _filterbank; // [513, 64]

    public ReferenceLogMel(GoldenSet golden)
    {
        _window = golden.Tensor("fe.window");
        _filterbank = golden.Tensor("fe.mel_filterbank");
    }

    /// <summary>[channels, samples] → [1, channels, T, 64].</summary>
    public Tensor Compute(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var spec = stft(waveform, n_fft: 1024, hop_length: 160, win_length: 1024, window: _window, center: true,
            pad_mode: PaddingModes.Reflect, normalized: false, onesided: true, return_complex: true).abs(); // [C, 513, T]
        var mel = matmul(spec.transpose(1, 2), _filterbank);                                               // [C, T, 64]
        return mel.clamp_min(1e-5).log().unsqueeze(0).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _window.Dispose();
        _filterbank.Dispose();
    }
}
