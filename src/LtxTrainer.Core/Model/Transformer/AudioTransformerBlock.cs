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

    public AudioTransformerBlock(WeightScope w, LtxTransformerConfig c) : base(nameof(AudioTransformerBlock))
    {
        _config = c;
        long d = c.AudioInnerDim;
        audio_attn1 = new Attention(w.Sub("audio_attn1"), d, d, c.AudioHeads, c.AudioHeadDim, c.NormEps, c.GatedAttention);
        audio_attn2 = new Attention(w.Sub("audio_attn2"), d, c.AudioCrossAttentionDim, c.AudioHeads, c.AudioHeadDim, c.NormEps, c.GatedAttention);
        audio_ff = new FeedForward(w.Sub("audio_ff"), d, c.AudioFfInnerDim, c.AudioFfBias);
        audio_scale_shift_table = w.Frozen("audio_scale_shift_table", c.AdaLNRows, d);
        if (c.CrossAttentionAdaLN) audio_prompt_scale_shift_table = w.Frozen("audio_prompt_scale_shift_table", 2, d);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => throw new NotSupportedException("Call Forward with its conditioning.");

    /// <summary>
    /// <paramref name="keep"/> [B,1,1]: 1 = normal self-attention, 0 = skipped (STG), or null;
    /// <paramref name="skipAll"/>: skipped for every sample.
    /// </summary>
    public Tensor Forward(Tensor x, BlockConditioning c, Tensor? keep = null, bool skipAll = false)
    {
        using var scope = NewDisposeScope();
        double eps = _config.NormEps;
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        var mod = c.Modulation.view(b, t, _config.AdaLNRows, d);
        var table = audio_scale_shift_table.to(x.dtype);
        Tensor Ada(int i) => table[i] + mod.select(2, i);

        var normed = RmsNorm.Apply(x, eps) * (1 + Ada(1)) + Ada(0);
        var sa = audio_attn1.Forward(normed, rope: c.Rope, keep: keep, skipAll: skipAll);
        x = x + sa * Ada(2);
        var xNormed = RmsNorm.Apply(x, eps);

        if (_config.CrossAttentionAdaLN)
        {
            var kv = audio_prompt_scale_shift_table!.to(x.dtype).unsqueeze(0).unsqueeze(0);
            if (c.PromptModulation is not null)
                kv = kv + c.PromptModulation.view(b, c.PromptModulation.shape[1], 2, d);
            var shiftKv = kv.select(2, 0);
            var scaleKv = kv.select(2, 1);
            var query = xNormed * (1 + Ada(7)) + Ada(6);
            var context = c.Context * (1 + scaleKv) + shiftKv;
            x = x + audio_attn2.Forward(query, context, c.AdditiveMask) * Ada(8);
        }
        else
        {
            x = x + audio_attn2.Forward(xNormed, c.Context, c.AdditiveMask);
        }

        var ffIn = RmsNorm.Apply(x, eps) * (1 + Ada(4)) + Ada(3);
        x = x + audio_ff.forward(ffIn) * Ada(5);
        return x.MoveToOuterDisposeScope();
    }
}
