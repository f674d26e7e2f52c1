using LtxTrainer.Core.Model.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>
/// LTX attention (ltx_core/model/transformer/attention.py): q/k/v projections, RMSNorm with weight over the full inner
/// width on q and k,
/// optional RoPE (self-attention only), SDPA with scale 1/√head_dim and an optional additive mask,
/// optional per-head gate 2·σ(W_g·x), then <c>to_out.0</c>. Self-attention can be skipped per sample
/// (STG): the output is then the value projection, still gated and projected.
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor>
{
    private readonly LoraLinear to_q;
    private readonly LoraLinear to_k;
    private readonly LoraLinear to_v;
    private readonly ModuleList<LoraLinear> to_out;
    private readonly WeightedRmsNorm q_norm;
    private readonly WeightedRmsNorm k_norm;
    private readonly FrozenLinear? to_gate_logits;
    private readonly int _heads;
    private readonly int _headDim;

    public Attention(WeightScope w, long queryDim, long contextDim, int heads, int headDim, double normEps, bool gated)
        : base(nameof(Attention))
    {
        long inner = (long)heads * headDim;
        _heads = heads;
        _headDim = headDim;
        to_q = new LoraLinear(w.Sub("to_q"), queryDim, inner);
        to_k = new LoraLinear(w.Sub("to_k"), contextDim, inner);
        to_v = new LoraLinear(w.Sub("to_v"), contextDim, inner);
        to_out = new ModuleList<LoraLinear>(new LoraLinear(w.Sub("to_out").Sub("0"), inner, queryDim));
        q_norm = new WeightedRmsNorm(w.Sub("q_norm"), inner, normEps);
        k_norm = new WeightedRmsNorm(w.Sub("k_norm"), inner, normEps);
        if (gated) to_gate_logits = new FrozenLinear(w.Sub("to_gate_logits"), queryDim, heads);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Forward(x);

    /// <summary>
    /// <paramref name="x"/> [B, T, query_dim]; <paramref name="context"/> [B, S, context_dim] (null = self);
    /// <paramref name="mask"/> additive, broadcastable to [B, H, T, S]; <paramref name="rope"/> for q and k;
    /// <paramref name="keep"/> [B, 1, 1] with 1 = attend, 0 = skip attention (value pass-through), or null.
    /// <paramref name="skipAll"/> skips attention for every sample without computing it.
    /// <paramref name="baseKv"/>: the base key and value projections of <paramref name="context"/>
    /// (<see cref="BaseKeyValueOf"/>), computed earlier; only the LoRA updates are then computed here.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor? context = null, Tensor? mask = null, RotaryEmbedding? rope = null,
        Tensor? keep = null, bool skipAll = false, BaseKeyValue? baseKv = null)
    {
        using var scope = NewDisposeScope();
        var ctx = context ?? x;
        var v = baseKv is null ? to_v.forward(ctx) : to_v.AddAdapter(ctx, baseKv.Value);
        Tensor output;
        if (skipAll)
        {
            output = v;
        }
        else
        {
            var q = q_norm.forward(to_q.forward(x));
            var k = k_norm.forward(baseKv is null ? to_k.forward(ctx) : to_k.AddAdapter(ctx, baseKv.Key));
            if (rope is not null)
            {
                q = rope.Apply(q);
                k = rope.Apply(k);
            }
            output = Sdpa(q, k, v, mask);
            if (keep is not null) output = output * keep + v * (1 - keep);
        }
        if (to_gate_logits is not null)
        {
            long b = output.shape[0], t = output.shape[1];
            var gates = to_gate_logits.forward(x).sigmoid() * 2.0;                    // [B, T, H]
            output = (output.view(b, t, _heads, _headDim) * gates.unsqueeze(-1)).view(b, t, (long)_heads * _headDim);
        }
        return to_out[0].forward(output).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The frozen key and value projections of <paramref name="context"/> without LoRA updates, outside autograd:
    /// they depend on the checkpoint and the context only.
    /// </summary>
    public BaseKeyValue BaseKeyValueOf(Tensor context)
    {
        using var noGrad = no_grad();
        return new BaseKeyValue(to_k.BaseForward(context), to_v.BaseForward(context));
    }

    private Tensor Sdpa(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        long b = q.shape[0];
        var qh = q.view(b, -1, _heads, _headDim).transpose(1, 2);
        var kh = k.view(b, -1, _heads, _headDim).transpose(1, 2);
        var vh = v.view(b, -1, _heads, _headDim).transpose(1, 2);
        var o = nn.functional.scaled_dot_product_attention(qh, kh, vh, mask);
        return o.transpose(1, 2).reshape(b, -1, (long)_heads * _headDim);
    }
}
