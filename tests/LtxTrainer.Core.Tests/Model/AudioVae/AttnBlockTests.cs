using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Tests.Audio;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Model.AudioVae;

/// <summary>
/// The optional VAE attention (absent from LTX checkpoints, so no golden) checked against an independent
/// formulation: single-head scaled-dot-product attention over the time×frequency positions.
/// </summary>
public sealed class AttnBlockTests
{
    [Fact]
    public void EqualsSingleHeadSdpaOverAllPositions()
    {
        torch.manual_seed(5);
        using var block = new AttnBlock(8);
        using var scope = NewDisposeScope();
        var x = randn(2, 8, 5, 3);
        var state = block.state_dict();
        var hn = PixelNorm.Apply(x);
        Tensor Proj(string name) => nn.functional.conv2d(hn, state[name + ".weight"], state[name + ".bias"])
            .flatten(2).transpose(1, 2).unsqueeze(1);                       // [B, 1, HW, C]
        var attended = nn.functional.scaled_dot_product_attention(Proj("q"), Proj("k"), Proj("v"));
        var h = attended.squeeze(1).transpose(1, 2).reshape(2, 8, 5, 3);
        var expected = x + nn.functional.conv2d(h, state["proj_out.weight"], state["proj_out.bias"]);
        using (no_grad())
            TensorAssert.Close(expected, block.forward(x), 1e-5, "attn", 1e-5);
        Assert.Equal(new[] { "k.bias", "k.weight", "proj_out.bias", "proj_out.weight", "q.bias", "q.weight", "v.bias", "v.weight" },
            state.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }
}
