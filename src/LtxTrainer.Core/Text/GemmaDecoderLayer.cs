using TorchSharp;
using static TorchSharp.torch.nn.functional;

namespace LtxTrainer.Core.Text;

/// <summary>
/// One Gemma 3 decoder layer, as pure functions over <see cref="GemmaLayerWeights"/> so the same code runs
/// whether the weights stay resident or are streamed in per layer. Pre-norm residual with four norms:
/// <c>h = x + norm(attn(norm(x)))</c>, <c>x' = h + norm(mlp(norm(h)))</c>.
/// </summary>
public static class GemmaDecoderLayer
{
    /// <param name="x">[B, L, hidden] residual stream.</param>
    /// <param name="w">This layer's weights.</param>
    /// <param name="config">Model configuration.</param>
    /// <param name="rope">Rotary tables of this layer's type.</param>
    /// <param name="mask">[B, 1, L, L] additive mask of this layer's type.</param>
    public static torch.Tensor Forward(torch.Tensor x, GemmaLayerWeights w, Gemma3TextConfig config, GemmaRotaryTables rope, torch.Tensor mask)
    {
        using var scope = torch.NewDisposeScope();
        double eps = config.RmsNormEps;
        var attn = Attention(GemmaRmsNorm.Apply(x, w.InputNorm, eps), w, config, rope, mask);
        var h = x + GemmaRmsNorm.Apply(attn, w.PostAttentionNorm, eps);
        var n = GemmaRmsNorm.Apply(h, w.PreFeedforwardNorm, eps);
        var mlp = linear(gelu(linear(n, w.GateProj), TorchSharp.Modules.GELU.Approximate.tanh) * linear(n, w.UpProj), w.DownProj);
        var result = h + GemmaRmsNorm.Apply(mlp, w.PostFeedforwardNorm, eps);
        return result.MoveToOuterDisposeScope();
    }

    // Eager attention as HF writes it: scores = q kᵀ · query_pre_attn_scalar^-0.5 + mask, softmax in float32.
    // (SDPA has no scale argument in TorchSharp, and eager is what the reference vectors were made with.)
    private static torch.Tensor Attention(torch.Tensor x, GemmaLayerWeights w, Gemma3TextConfig c, GemmaRotaryTables rope, torch.Tensor mask)
    {
        long b = x.shape[0], l = x.shape[1];
        int groups = c.NumAttentionHeads / c.NumKeyValueHeads;
        double eps = c.RmsNormEps;
        var q = GemmaRmsNorm.Apply(linear(x, w.QProj).view(b, l, c.NumAttentionHeads, c.HeadDim), w.QNorm, eps).transpose(1, 2);
        var k = GemmaRmsNorm.Apply(linear(x, w.KProj).view(b, l, c.NumKeyValueHeads, c.HeadDim), w.KNorm, eps).transpose(1, 2);
        var v = linear(x, w.VProj).view(b, l, c.NumKeyValueHeads, c.HeadDim).transpose(1, 2);
        q = rope.Apply(q);
        k = rope.Apply(k);
        if (groups > 1)
        {
            // Query head i reads key/value head i / groups (HF repeat_kv).
            k = k.repeat_interleave(groups, 1);
            v = v.repeat_interleave(groups, 1);
        }
        double scaling = Math.Pow(c.QueryPreAttnScalar, -0.5);
        var scores = torch.matmul(q, k.transpose(2, 3)) * scaling + mask;
        var probs = softmax(scores, -1, torch.float32).to(q.dtype);
        var o = torch.matmul(probs, v).transpose(1, 2).reshape(b, l, (long)c.NumAttentionHeads * c.HeadDim);
        return linear(o, w.OProj);
    }
}
