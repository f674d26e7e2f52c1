using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// Conv2d that is causal along the time (height) axis: zero padding of (k−1) rows on the past side only,
/// symmetric padding on the frequency axis, then an unpadded convolution. The weights live under
/// <c>.conv.</c> as in the checkpoint.
/// </summary>
public sealed class CausalConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly long[] _padding; // F.pad order: freq left, freq right, time top, time bottom

    public CausalConv2d(string name, long inChannels, long outChannels, long kernelSize) : base(name)
    {
        conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: 1);
        long pad = kernelSize - 1;
        _padding = [pad / 2, pad - pad / 2, pad, 0];
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (_padding[2] == 0 && _padding[0] == 0 && _padding[1] == 0) return conv.forward(x);
        using var padded = nn.functional.pad(x, _padding);
        return conv.forward(padded);
    }
}
