using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>Anti-aliased ÷ratio downsampler; holds the filter under <c>lowpass.filter</c> as the checkpoint does.</summary>
public sealed class DownSample1d : nn.Module<Tensor, Tensor>
{
    private readonly LowPassFilter1d lowpass;

    public DownSample1d(int ratio = 2, int kernelSize = 12) : base(nameof(DownSample1d))
    {
        lowpass = new LowPassFilter1d(ratio, kernelSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => lowpass.forward(x);
}
