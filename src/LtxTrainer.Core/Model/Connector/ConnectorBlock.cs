using LtxTrainer.Core.Model.Common;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Connector;

/// <summary>One connector block: <c>x += attn1(rms(x))</c> with RoPE, then <c>x += ff(rms(x))</c>.</summary>
public sealed class ConnectorBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>eps of the connector's weightless RMS norms and of its q/k norms (ltx-core defaults).</summary>
    public const double NormEps = 1e-6;

    private readonly Attention attn1;
    private readonly FeedForward ff;

    public ConnectorBlock(WeightScope w, int heads, int headDim, bool gated, bool ffBias) : base(nameof(ConnectorBlock))
    {
        long dim = (long)heads * headDim;
        attn1 = new Attention(w.Sub("attn1"), dim, dim, heads, headDim, NormEps, gated);
        ff = new FeedForward(w.Sub("ff"), dim, 4 * dim, ffBias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => throw new NotSupportedException("Call Forward with the RoPE tables.");

    public Tensor Forward(Tensor x, RotaryEmbedding rope)
    {
        using var scope = NewDisposeScope();
        x = attn1.Forward(RmsNorm.Apply(x, NormEps), rope: rope) + x;
        x = ff.forward(RmsNorm.Apply(x, NormEps)) + x;
        return x.MoveToOuterDisposeScope();
    }
}
