using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>The bottleneck: <c>block_1</c>, optional <c>attn_1</c>, <c>block_2</c>.</summary>
public sealed class MidBlock : nn.Module<Tensor, Tensor>
{
    private readonly ResnetBlock block_1;
    private readonly AttnBlock? attn_1;
    private readonly ResnetBlock block_2;

    public MidBlock(long channels, bool withAttention) : base(nameof(MidBlock))
    {
        block_1 = new ResnetBlock(channels, channels);
        if (withAttention) attn_1 = new AttnBlock(channels);
        block_2 = new ResnetBlock(channels, channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = block_1.forward(x);
        if (attn_1 is not null) h = attn_1.forward(h);
        return block_2.forward(h).MoveToOuterDisposeScope();
    }
}
