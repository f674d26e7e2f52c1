using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Common;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Transformer;

/// <summary>
/// The LTX-2 / LTX-2.3 audio-only diffusion transformer (ltx_core/model/transformer/model.py
/// and transformer.py; docs/numerical-reference.md "Audio transformer"). Submodules carry the checkpoint's names
/// (after <c>model.diffusion_model.</c>), so <c>named_parameters()</c> yields the file keys. Predicts the
/// flow-matching velocity.
/// </summary>
public sealed class AudioTransformer : nn.Module<Tensor, Tensor>
{
    private readonly FrozenLinear audio_patchify_proj;
    private readonly AdaLayerNormSingle audio_adaln_single;
    private readonly AdaLayerNormSingle? audio_prompt_adaln_single;
    private readonly CaptionProjection? audio_caption_projection;
    private readonly Parameter audio_scale_shift_table;
    private readonly FrozenLinear audio_proj_out;
    private readonly ModuleList<AudioTransformerBlock> transformer_blocks;

    /// <summary>Builds the model taking every tensor from <paramref name="weights"/> (keys relative to the transformer).</summary>
    public AudioTransformer(LtxTransformerConfig config, IWeightSource weights) : base(nameof(AudioTransformer))
    {
        // The block modulates the context per channel with width-D tables (2.3) or receives the caption
        // projection's width-D output (2.0), so the context is always D wide; ltx-core would fail at the first forward.
        if (config.AudioCrossAttentionDim != config.AudioInnerDim)
            throw new CheckpointFormatException(
                $"config.transformer.audio_cross_attention_dim is {config.AudioCrossAttentionDim} (2048 when absent), but the audio transformer " +
                $"needs it equal to its width {config.AudioInnerDim} (audio_num_attention_heads x audio_attention_head_dim).",
                key: "config.transformer.audio_cross_attention_dim");
        Config = config;
        var w = WeightScope.Root(weights);
        long d = config.AudioInnerDim;
        audio_patchify_proj = new FrozenLinear(w.Sub("audio_patchify_proj"), config.AudioInChannels, d);
        audio_adaln_single = new AdaLayerNormSingle(w.Sub("audio_adaln_single"), d, config.AdaLNRows);
        if (config.HasPromptAdaLN) audio_prompt_adaln_single = new AdaLayerNormSingle(w.Sub("audio_prompt_adaln_single"), d, 2);
        if (config.HasCaptionProjection) audio_caption_projection = new CaptionProjection(w.Sub("audio_caption_projection"), config.CaptionChannels, d);
        var blocks = w.Sub("transformer_blocks");
        transformer_blocks = new ModuleList<AudioTransformerBlock>(
            Enumerable.Range(0, config.NumLayers).Select(i => new AudioTransformerBlock(blocks.Sub(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), config)).ToArray());
        audio_scale_shift_table = w.Frozen("audio_scale_shift_table", 2, d);
        audio_proj_out = new FrozenLinear(w.Sub("audio_proj_out"), d, config.AudioOutChannels);
        RegisterComponents();
    }

    public LtxTransformerConfig Config { get; }

    /// <summary>Weights' dtype (the compute dtype of the base model).</summary>
    public ScalarType DType => audio_scale_shift_table.dtype;

    public IReadOnlyList<AudioTransformerBlock> Blocks => transformer_blocks.ToList();

    /// <summary>Loads the audio path of <paramref name="checkpoint"/> in <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public static AudioTransformer Load(LtxCheckpoint checkpoint, ScalarType dtype, Device? device = null) =>
        new(checkpoint.Config, checkpoint.TransformerWeights(dtype, device));

    public override Tensor forward(Tensor x) => throw new NotSupportedException("Call Forward with an AudioTransformerInput.");

    /// <summary>Velocity [B, T, C_out] for one call; <paramref name="skip"/> applies STG.</summary>
    public Tensor Forward(AudioTransformerInput input, SelfAttentionSkip? skip = null, IBlockRunner? runner = null)
    {
        using var scope = NewDisposeScope();
        var cond = Prepare(input);
        var h = audio_patchify_proj.forward(input.Latent);
        var keep = skip is { AllSamples: false, AnySample: true } ? KeepMask(skip, h) : null;
        var conditioning = cond.Conditioning;
        if (runner is not null)
        {
            Tensor? Keep(Tensor? t) => t is null ? null : runner.Retain(t);
            conditioning = new BlockConditioning(Keep(conditioning.Modulation)!, Keep(conditioning.PromptModulation), Keep(conditioning.Context)!,
                Keep(conditioning.AdditiveMask), conditioning.Rope.Map(runner.Retain));
            keep = Keep(keep);
        }
        if (input.CrossAttentionKv is { } kept && kept.Count != transformer_blocks.Count)
            throw new ArgumentException($"{kept.Count} kept cross-attention key/value pairs for {transformer_blocks.Count} blocks.", nameof(input));
        for (int i = 0; i < transformer_blocks.Count; i++)
        {
            var block = transformer_blocks[i];
            var baseKv = input.CrossAttentionKv?[i];
            bool perturbed = skip is not null && skip.Blocks.Contains(i) && skip.AnySample;
            bool skipAll = perturbed && skip!.AllSamples;
            var blockKeep = perturbed && !skipAll ? keep : null;
            h = runner is null
                ? block.Forward(h, conditioning, blockKeep, skipAll, baseKv)
                : runner.Run(i, h, x => block.Forward(x, conditioning, blockKeep, skipAll, baseKv));
        }
        return Output(h, cond.Embedded).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Whether the cross-attentions' base key and value projections depend on the text context alone, so that
    /// <see cref="CrossAttentionBaseKeyValues"/> can be kept across calls: not with prompt AdaLN (2.3), which
    /// modulates the context by σ before the projections.
    /// </summary>
    public bool CanKeepCrossAttentionKv => !Config.HasPromptAdaLN;

    /// <summary>
    /// Every block's cross-attention base key and value projections [B, S, inner] of <paramref name="context"/>
    /// [B, S, D_ctx] (what <see cref="AudioTransformerInput.Context"/> takes), outside autograd. They depend on the frozen
    /// weights and the context only, never on LoRA factors. Requires <see cref="CanKeepCrossAttentionKv"/>.
    /// </summary>
    public IReadOnlyList<BaseKeyValue> CrossAttentionBaseKeyValues(Tensor context)
    {
        if (!CanKeepCrossAttentionKv)
            throw new InvalidOperationException("With prompt AdaLN the cross-attention context depends on σ; its key and value cannot be kept.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var projected = ProjectContext(context);
        var kvs = transformer_blocks.Select(block => block.CrossAttentionBaseKeyValue(projected)).ToList();
        foreach (var kv in kvs)
        {
            kv.Key.MoveToOuterDisposeScope();
            kv.Value.MoveToOuterDisposeScope();
        }
        return kvs;
    }

    /// <summary>x̂0 = x − τ·v per token, in float32 (X0Model), returned in the latent's dtype.</summary>
    public static Tensor Denoised(Tensor latent, Tensor velocity, Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        var tau = timesteps.ndim == 2 ? timesteps.unsqueeze(-1) : timesteps;
        var x0 = latent.to(ScalarType.Float32) - velocity.to(ScalarType.Float32) * tau.to(ScalarType.Float32);
        return x0.to(latent.dtype).MoveToOuterDisposeScope();
    }

    private static Tensor KeepMask(SelfAttentionSkip skip, Tensor h)
    {
        var values = skip.Samples!.Select(s => s ? 0f : 1f).ToArray();
        if (values.Length != h.shape[0])
            throw new ArgumentException($"STG sample flags ({values.Length}) do not match the batch ({h.shape[0]}).");
        return tensor(values, dtype: ScalarType.Float32).to(h.dtype, h.device).view(-1, 1, 1);
    }

    private sealed record Prepared(BlockConditioning Conditioning, Tensor Embedded);

    private Prepared Prepare(AudioTransformerInput input)
    {
        var dtype = input.Latent.dtype;
        long b = input.Latent.shape[0];
        double k = Config.TimestepScaleMultiplier;
        var (mod, emb) = audio_adaln_single.Embed((input.Timesteps * k).flatten(), dtype);
        mod = mod.view(b, -1, mod.shape[^1]);
        emb = emb.view(b, -1, emb.shape[^1]);
        Tensor? prompt = null;
        if (audio_prompt_adaln_single is not null)
        {
            var (p, _) = audio_prompt_adaln_single.Embed((input.Sigma * k).flatten(), dtype);
            prompt = p.view(b, -1, p.shape[^1]);
        }
        var context = ProjectContext(input.Context);
        Tensor? mask = null;
        if (input.ContextMask is not null)
        {
            mask = input.ContextMask.is_floating_point()
                ? input.ContextMask
                : (input.ContextMask - 1).to(dtype).reshape(b, 1, -1, input.ContextMask.shape[^1]) * MaxValue(dtype);
        }
        var middle = (input.Positions.select(-1, 0) + input.Positions.select(-1, 1)) / 2.0;   // [B, 1, T]
        var rope = RotaryEmbedding.Create(middle.select(1, 0), Config.AudioInnerDim, Config.AudioHeads, Config.RopeTheta,
            Config.AudioMaxPos, Config.RopeFloat64Grid, dtype);
        return new Prepared(new BlockConditioning(mod, prompt, context, mask, rope), emb);
    }

    /// <summary>The text context [B, S, D]: through the caption projection on 2.0, as given on 2.3.</summary>
    private Tensor ProjectContext(Tensor context)
    {
        var projected = audio_caption_projection is null ? context : audio_caption_projection.forward(context);
        return projected.view(context.shape[0], -1, Config.AudioInnerDim);
    }

    private Tensor Output(Tensor h, Tensor embedded)
    {
        var table = audio_scale_shift_table.to(h.dtype).unsqueeze(0).unsqueeze(0) + embedded.unsqueeze(2);  // [B, T, 2, D]
        var shift = table.select(2, 0);
        var scale = table.select(2, 1);
        var x = nn.functional.layer_norm(h, [h.shape[^1]], null, null, Config.NormEps);
        x = x * (1 + scale) + shift;
        return audio_proj_out.forward(x);
    }

    /// <summary>torch.finfo(dtype).max, the magnitude of the additive mask for masked-out text tokens.</summary>
    public static double MaxValue(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => float.MaxValue,
        ScalarType.BFloat16 => 3.3895313892515355e38,
        ScalarType.Float16 => 65504.0,
        ScalarType.Float64 => double.MaxValue,
        _ => throw new ArgumentException($"No additive mask for dtype {dtype}."),
    };
}
