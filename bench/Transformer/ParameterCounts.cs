using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Connector;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Model.Transformer;
using static TorchSharp.torch;

namespace LtxTrainer.Bench.Transformer;

/// <summary>Builds the full-size models on the meta device (no memory) and checks their sizes against
/// docs/numerical-reference.md ("Sizes").</summary>
internal static class ParameterCounts
{
    public const long Transformer = 3_286_408_320;
    public const long PerBlock = 67_297_344;
    public const long TopLevel = 56_135_808;
    public const long Connector = 403_620_096;
    public const long LoraRank32 = 81_788_928;
    public const long Ltx2Transformer = 3_265_980_544;

    // docs/numerical-reference.md's breakdown ("Sizes") of one 2.3 block and of the top level, by parameter-name
    // prefix.
    private static readonly (string Prefix, long Count)[] BlockParts =
        [("audio_attn1.", 16_855_072), ("audio_attn2.", 16_855_072), ("audio_ff.", 33_564_672), ("audio_scale_shift_table", 18_432), ("audio_prompt_scale_shift_table", 4_096)];

    private static readonly (string Prefix, long Count)[] TopLevelParts =
        [("audio_patchify_proj.", 264_192), ("audio_adaln_single.", 42_489_856), ("audio_prompt_adaln_single.", 13_115_392), ("audio_scale_shift_table", 4_096), ("audio_proj_out.", 262_272)];

    public static Dictionary<string, object> Run()
    {
        var config = RealConfig.Parse(48);
        using var model = new AudioTransformer(config, new RandomWeightSource(ScalarType.BFloat16, META));
        long total = model.parameters().Sum(p => p.numel());
        long block = model.Blocks[0].parameters().Sum(p => p.numel());
        long lora = LoraTargets.Matching(model, LoraConfig.AudioTargets).Sum(l => 32 * (l.Layer.InFeatures + l.Layer.OutFeatures));
        using var connector = new AudioEmbeddingsConnector(config.AudioConnector, true, new RandomWeightSource(ScalarType.BFloat16, META));
        long conn = connector.parameters().Sum(p => p.numel());
        // LTX-2 (19B): no gates, 6 AdaLN rows, no prompt AdaLN, a caption projection from the 3840-wide connector.
        var ltx2Section = RealConfig.TransformerSection(48);
        foreach (var flag in new[] { "apply_gated_attention", "cross_attention_adaln", "caption_proj_before_connector" }) ltx2Section.Remove(flag);
        ltx2Section["caption_channels"] = 3840;
        using var ltx2Doc = System.Text.Json.JsonDocument.Parse(ltx2Section.ToJsonString());
        using var ltx2 = new AudioTransformer(LtxTransformerConfig.Parse(ltx2Doc.RootElement, "real LTX-2 config"), new RandomWeightSource(ScalarType.BFloat16, META));
        long ltx2Total = ltx2.parameters().Sum(p => p.numel());
        var result = new Dictionary<string, object>
        {
            ["transformer"] = total, ["per_block"] = block, ["top_level"] = total - 48 * block,
            ["lora_rank32"] = lora, ["audio_connector"] = conn, ["transformer_ltx2"] = ltx2Total,
        };
        var blockParams = model.Blocks[0].named_parameters().ToList();
        foreach (var (prefix, count) in BlockParts)
        {
            long n = blockParams.Where(p => p.name.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.parameter.numel());
            result["block." + prefix.TrimEnd('.')] = n;
            Check("block " + prefix.TrimEnd('.'), n, count);
        }
        var topParams = model.named_parameters().Where(p => !p.name.StartsWith("transformer_blocks.", StringComparison.Ordinal)).ToList();
        foreach (var (prefix, count) in TopLevelParts)
        {
            long n = topParams.Where(p => p.name.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.parameter.numel());
            result["top." + prefix.TrimEnd('.')] = n;
            Check("top level " + prefix.TrimEnd('.'), n, count);
        }
        Check("LTX-2 transformer", ltx2Total, Ltx2Transformer);
        Check("transformer", total, Transformer);
        Check("per block", block, PerBlock);
        Check("top level", total - 48 * block, TopLevel);
        Check("LoRA r=32", lora, LoraRank32);
        Check("audio connector", conn, Connector);
        return result;
    }

    private static void Check(string what, long actual, long expected)
    {
        Console.Error.WriteLine($"{what}: {actual:N0} parameters (reference {expected:N0})");
        if (actual != expected) throw new InvalidOperationException($"{what} has {actual:N0} parameters; the numerical reference says {expected:N0}.");
    }
}
