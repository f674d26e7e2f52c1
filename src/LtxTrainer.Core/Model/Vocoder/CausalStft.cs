using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// STFT as a strided convolution with the checkpoint's windowed-DFT basis (<c>stft_fn.forward_basis</c>,
/// rows = [real ; imaginary] halves — the code's layout, not the docstring's "interleaved"). Causal:
/// left zero padding of n_fft − hop only. <c>inverse_basis</c> is held so strict loading accepts it; the
/// forward pass does not use it.
/// </summary>
public sealed class CausalStft : nn.Module<Tensor, Tensor>
{
    private readonly Tensor forward_basis;
    private readonly Tensor inverse_basis;
    private readonly int _hop;
    private readonly int _leftPad;

    public CausalStft(int nFft, int hopLength) : base("stft_fn")
    {
        int freqs = nFft / 2 + 1;
        forward_basis = zeros(2 * freqs, 1, nFft);
        inverse_basis = zeros(2 * freqs, 1, nFft);
        _hop = hopLength;
        _leftPad = Math.Max(0, nFft - hopLength);
        RegisterComponents();
    }

    /// <summary>
    /// Checks the loaded basis has the [real ; imaginary] row layout this class assumes
    /// (ltx_core/model/audio_vae/vocoder.py
    /// splits it in halves, whatever its docstring says; see docs/numerical-reference.md "Vocoder"): the
    /// imaginary row of frequency 0 (row freqs) is a sine at zero frequency, i.e. all zeros, while the real
    /// row 0 (the window) is not. An interleaved basis has its zero row at index 1 instead.
    /// </summary>
    public void ValidateLayout(string description, string key)
    {
        using var scope = NewDisposeScope();
        long freqs = forward_basis.shape[0] / 2;
        double window = forward_basis[0].abs().max().item<float>();
        double imagZero = forward_basis[freqs].abs().max().item<float>();
        if (window == 0 || imagZero > 1e-6 * window)
            throw new LtxTrainer.Core.Checkpoints.CheckpointFormatException(
                $"{description}: '{key}' is not a [real ; imaginary] windowed DFT basis (row {freqs}, the imaginary part at 0 Hz, should be zero).",
                key: key);
    }

    /// <summary>Magnitude [N, freqs, frames] of waveforms [N, T].</summary>
    public override Tensor forward(Tensor y)
    {
        using var scope = NewDisposeScope();
        var padded = nn.functional.pad(y.unsqueeze(1), [_leftPad, 0]);
        var spec = nn.functional.conv1d(padded, forward_basis, stride: _hop);
        long freqs = spec.shape[1] / 2;
        var real = spec.narrow(1, 0, freqs);
        var imag = spec.narrow(1, freqs, freqs);
        return (real.pow(2) + imag.pow(2)).sqrt().MoveToOuterDisposeScope();
    }
}
