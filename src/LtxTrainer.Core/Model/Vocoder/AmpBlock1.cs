using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// BigVGAN-v2 AMP block: for each of 3 dilations, x += conv2(act2(conv1_dilated(act1(x)))) with
/// anti-aliased Snake activations and "same" padding (d·(k−1)/2).
/// </summary>
public sealed class AmpBlock1 : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Conv1d> convs1 = new();
    private readonly ModuleList<Conv1d> convs2 = new();
    private readonly ModuleList<Activation1d> acts1 = new();
    private readonly ModuleList<Activation1d> acts2 = new();

    public AmpBlock1(long channels, int kernelSize, IReadOnlyList<int> dilations, bool snakeBeta) : base(nameof(AmpBlock1))
    {
        foreach (var d in dilations)
        {
            convs1.Add(nn.Conv1d(channels, channels, kernelSize, stride: 1, padding: (kernelSize * d - d) / 2, dilation: d));
            convs2.Add(nn.Conv1d(channels, channels, kernelSize, stride: 1, padding: (kernelSize - 1) / 2, dilation: 1));
            acts1.Add(new Activation1d(channels, snakeBeta));
            acts2.Add(new Activation1d(channels, snakeBeta));
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // Eager disposal keeps at most a few full-rate activations alive (a long clip's last stages
        // are tens of channels × millions of samples).
        var h = x.alias();
        for (int i = 0; i < convs1.Count; i++)
        {
            Tensor t;
            using (var a1 = acts1[i].forward(h))
            using (var c1 = convs1[i].forward(a1))
            using (var a2 = acts2[i].forward(c1))
                t = convs2[i].forward(a2);
            var next = t.add_(h);
            h.Dispose();
            h = next;
        }
        return h;
    }
}
