using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// Optional single-head self-attention over all time×frequency positions (PixelNorm, 1×1 q/k/v/proj_out,
/// residual). LTX-2 / 2.3 checkpoints have none (<c>attn_resolutions=[]</c>, <c>mid_block_add_attention=false</c>);
/// it exists so configs that enable it load their weights instead of failing or silently skipping them.
/// </summary>
public sealed class AttnBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d q;
    private readonly Conv2d k;
    private readonly Conv2d v;
    private readonly Conv2d proj_out;

    public AttnBlock(long channels) : base(nameof(AttnBlock))
    {
        q = nn.Conv2d(channels, channels, 1);
        k = nn.Conv2d(channels, channels, 1);
        v = nn.Conv2d(channels, channels, 1);
        proj_out = nn.Conv2d(channels, channels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        var hn = PixelNorm.Apply(x);
        var qs = q.forward(hn).reshape(b, c, h * w).permute(0, 2, 1);   // b, hw, c
        var ks = k.forward(hn).reshape(b, c, h * w);                    // b, c, hw
        var weights = bmm(qs, ks) * Math.Pow(c, -0.5);
        weights = nn.functional.softmax(weights, 2);
        var vs = v.forward(hn).reshape(b, c, h * w);
        var attended = bmm(vs, weights.permute(0, 2, 1)).reshape(b, c, h, w);
        return (x + proj_out.forward(attended)).MoveToOuterDisposeScope();
    }
}
