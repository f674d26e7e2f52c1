using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// HiFi-GAN ResBlock1 of the LTX-2 vocoder: for each of 3 dilations,
/// x += conv2(lrelu(conv1_dilated(lrelu(x)))) with slope 0.1 and "same" padding.
/// </summary>
public sealed class HifiGanResBlock1 : nn.Module<Tensor, Tensor>
{
    public const double LeakySlope = 0.1;

    private readonly ModuleList<Conv1d> convs1 = new();
    private readonly ModuleList<Conv1d> convs2 = new();

    public HifiGanResBlock1(long channels, int kernelSize, IReadOnlyList<int> dilations) : base(nameof(HifiGanResBlock1))
    {
        foreach (var d in dilations)
        {
            convs1.Add(nn.Conv1d(channels, channels, kernelSize, stride: 1, padding: (kernelSize * d - d) / 2, dilation: d));
            convs2.Add(nn.Conv1d(channels, channels, kernelSize, stride: 1, padding: (kernelSize - 1) / 2, dilation: 1));
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = x.alias();
        for (int i = 0; i < convs1.Count; i++)
        {
            Tensor t;
            using (var a1 = nn.functional.leaky_relu(h, LeakySlope))
            using (var c1 = convs1[i].forward(a1))
            using (var a2 = nn.functional.leaky_relu(c1, LeakySlope))
                t = convs2[i].forward(a2);
            var next = t.add_(h);
            h.Dispose();
            h = next;
        }
        return h;
    }
}
