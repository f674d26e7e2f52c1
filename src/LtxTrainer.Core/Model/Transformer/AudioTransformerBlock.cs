using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Common;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Transformer;

/// <summary>
/// One audio block (ltx_core/model/transformer/transformer.py): AdaLN-modulated gated self-attention with RoPE, text
/// cross-attention
/// (with query and prompt K/V modulation on 2.3), AdaLN-modulated gated feed-forward.
/// </summary>
public sealed class AudioTransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly Attention audio_attn1;
    private readonly Attention audio_attn2;
    private readonly FeedForward audio_ff;
    private readonly Parameter audio_scale_shift_table;
    private readonly Parameter? audio_prompt_scale_shift_table;
    private readonly LtxTransformerConfig _config;

    // The rows of audio_scale_shift_table and of the per-token modulation, in ltx-core's order
    // (shift/scale/gate of self-attention, of the feed-forward, then of the cross-attention query, which
    // only 2.3's nine-row tables have; ltx_core/model/transformer/transformer.py).
    private const int ShiftSelfAttention = 0, ScaleSelfAttention = 1, GateSelfAttention = 2;
    private const int ShiftFeedForward = 3, ScaleFeedForward = 4, GateFeedForward = 5;
    private const int ShiftCrossAttentionQuery = 6, ScaleCrossAttentionQuery = 7, GateCrossAttention = 8;

    public AudioTransformerBlock(WeightScope w, LtxTransformerConfig config) : base(nameof(AudioTransformerBlock))
    {
        _config = config;
        long d = config.AudioInnerDim;
        audio_attn1 = new Attention(w.Sub("audio_attn1"), d, d, config.AudioHeads, config.AudioHeadDim, config.NormEps, config.GatedAttention);
        audio_attn2 = new Attention(w.Sub("audio_attn2"), d, config.AudioCrossAttentionDim, config.AudioHeads, config.AudioHeadDim,
            config.NormEps, config.GatedAttention);
        audio_ff = new FeedForward(w.Sub("audio_ff"), d, config.AudioFfInnerDim, config.AudioFfBias);
        audio_scale_shift_table = w.Frozen("audio_scale_shift_table", config.AdaLNRows, d);
        if (config.CrossAttentionAdaLN) audio_prompt_scale_shift_table = w.Frozen("audio_prompt_scale_shift_table", 2, d);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => throw new NotSupportedException("Call Forward with its conditioning.");

    /// <summary>
    /// <paramref name="keep"/> [B,1,1]: 1 = normal self-attention, 0 = skipped (STG), or null;
    /// <paramref name="skipAll"/>: skipped for every sample.
    /// </summary>
    /// <paramref name="baseKv"/>: the cross-attention's base key and value projections of the (modulated) context,
    /// from <see cref="CrossAttentionBaseKeyValue"/>, or null to compute them.
    public Tensor Forward(Tensor x, BlockConditioning conditioning, Tensor? keep = null, bool skipAll = false, BaseKeyValue? baseKv = null)
    {
        using var scope = NewDisposeScope();
        double eps = _config.NormEps;
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        var mod = conditioning.Modulation.view(b, t, _config.AdaLNRows, d);
        var table = audio_scale_shift_table.to(x.dtype);
        Tensor Ada(int row) => table[row] + mod.select(2, row);

        var normed = RmsNorm.Apply(x, eps) * (1 + Ada(ScaleSelfAttention)) + Ada(ShiftSelfAttention);
        var sa = audio_attn1.Forward(normed, rope: conditioning.Rope, keep: keep, skipAll: skipAll);
        x = x + sa * Ada(GateSelfAttention);
        var xNormed = RmsNorm.Apply(x, eps);

        var context = CrossAttentionContext(conditioning.Context, conditioning.PromptModulation);
        if (_config.CrossAttentionAdaLN)
        {
            var query = xNormed * (1 + Ada(ScaleCrossAttentionQuery)) + Ada(ShiftCrossAttentionQuery);
            x = x + audio_attn2.Forward(query, context, conditioning.AdditiveMask, baseKv: baseKv) * Ada(GateCrossAttention);
        }
        else
        {
            x = x + audio_attn2.Forward(xNormed, context, conditioning.AdditiveMask, baseKv: baseKv);
        }

        var ffIn = RmsNorm.Apply(x, eps) * (1 + Ada(ScaleFeedForward)) + Ada(ShiftFeedForward);
        x = x + audio_ff.forward(ffIn) * Ada(GateFeedForward);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The cross-attention's base key and value projections of <paramref name="context"/> [B, S, D] (after the
    /// caption projection) for a model without prompt AdaLN, where they depend on the context alone.
    /// </summary>
    public BaseKeyValue CrossAttentionBaseKeyValue(Tensor context)
    {
        if (_config.HasPromptAdaLN)
            throw new InvalidOperationException("With prompt AdaLN the cross-attention context depends on σ; its key and value cannot be kept.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var kv = audio_attn2.BaseKeyValueOf(CrossAttentionContext(context, null));
        return new BaseKeyValue(kv.Key.MoveToOuterDisposeScope(), kv.Value.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The text context as the cross-attention's keys and values see it: on 2.3 shifted and scaled per channel by
    /// the block's prompt table plus the prompt AdaLN of σ (<paramref name="promptModulation"/> [B, 1, 2·D], or
    /// null without prompt AdaLN); unchanged on 2.0.
    /// </summary>
    private Tensor CrossAttentionContext(Tensor context, Tensor? promptModulation)
    {
        if (!_config.CrossAttentionAdaLN) return context;
        long d = context.shape[2];
        var kv = audio_prompt_scale_shift_table!.to(context.dtype).unsqueeze(0).unsqueeze(0);
        if (promptModulation is not null)
            kv = kv + promptModulation.view(promptModulation.shape[0], promptModulation.shape[1], 2, d);
        var shiftKv = kv.select(2, 0);
        var scaleKv = kv.select(2, 1);
        return context * (1 + scaleKv) + shiftKv;
    }
}
