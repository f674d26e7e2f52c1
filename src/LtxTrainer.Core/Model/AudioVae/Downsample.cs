using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// Halves time and frequency: zero pad (freq 0 left / 1 right, time 2 top / 0 bottom), then a plain
/// stride-2 3×3 Conv2d (key <c>downsample.conv.*</c>, no causal wrapper). Time t → floor((t−1)/2)+1.
/// </summary>
public sealed class Downsample : nn.Module<Tensor, Tensor>
{
    private static readonly long[] Padding = [0, 1, 2, 0];
    private readonly Conv2d conv;

    public Downsample(long channels) : base(nameof(Downsample))
    {
        conv = nn.Conv2d(channels, channels, 3, stride: 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var padded = nn.functional.pad(x, Padding);
        return conv.forward(padded);
    }
}
