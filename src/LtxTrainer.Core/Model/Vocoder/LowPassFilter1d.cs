using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// Depthwise low-pass with the Kaiser-windowed sinc <c>filter</c> buffer (loaded from the checkpoint):
/// replicate-pad (k/2 − 1 left, k/2 right for even k), strided convolution.
/// </summary>
public sealed class LowPassFilter1d : nn.Module<Tensor, Tensor>
{
    private readonly Tensor filter;
    private readonly int _stride;
    private readonly long _padLeft, _padRight;

    public LowPassFilter1d(int stride = 2, int kernelSize = 12) : base(nameof(LowPassFilter1d))
    {
        _stride = stride;
        bool even = kernelSize % 2 == 0;
        _padLeft = kernelSize / 2 - (even ? 1 : 0);
        _padRight = kernelSize / 2;
        filter = zeros(1, 1, kernelSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long channels = x.shape[1];
        var padded = nn.functional.pad(x, [_padLeft, _padRight], PaddingModes.Replicate);
        return nn.functional.conv1d(padded, filter.expand(channels, -1, -1), stride: _stride, groups: channels)
            .MoveToOuterDisposeScope();
    }
}
