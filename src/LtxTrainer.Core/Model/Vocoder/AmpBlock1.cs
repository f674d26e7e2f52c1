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
        using var scope = NewDisposeScope();
        var h = x;
        for (int i = 0; i < convs1.Count; i++)
        {
            var t = convs2[i].forward(acts2[i].forward(convs1[i].forward(acts1[i].forward(h))));
            h = h + t;
        }
        return h.MoveToOuterDisposeScope();
    }
}
