using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>Anti-aliased activation: upsample ×2 → Snake/SnakeBeta → low-pass downsample ÷2.</summary>
public sealed class Activation1d : nn.Module<Tensor, Tensor>
{
    /// <summary>Ratio and filter length of the anti-aliasing filters (fixed in code, not in the config).</summary>
    public const int Ratio = 2, KernelSize = 12;

    private readonly SnakeBeta act;
    private readonly KaiserUpSample1d upsample;
    private readonly DownSample1d downsample;

    public Activation1d(long channels, bool snakeBeta) : base(nameof(Activation1d))
    {
        act = new SnakeBeta(channels, snakeBeta);
        upsample = new KaiserUpSample1d(Ratio, KernelSize);
        downsample = new DownSample1d(Ratio, KernelSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var up = upsample.forward(x);
        act.ApplyInPlace(up); // up is this call's own temporary
        return downsample.forward(up);
    }
}
