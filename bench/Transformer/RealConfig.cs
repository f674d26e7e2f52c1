using System.Text.Json;
using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;

namespace LtxTrainer.Bench.Transformer;

/// <summary>The real LTX-2.3 transformer config (docs/numerical-reference.md "Audio transformer") with a chosen depth,
/// parsed by the production parser.</summary>
internal static class RealConfig
{
    public static JsonObject TransformerSection(int layers) => new()
    {
        ["num_layers"] = layers, ["audio_num_attention_heads"] = 32, ["audio_attention_head_dim"] = 64,
        ["audio_cross_attention_dim"] = 2048, ["audio_out_channels"] = 128, ["norm_eps"] = 1e-6,
        ["timestep_scale_multiplier"] = 1000, ["positional_embedding_theta"] = 10000.0,
        ["audio_positional_embedding_max_pos"] = new JsonArray(20), ["use_middle_indices_grid"] = true,
        ["rope_type"] = "split", ["frequencies_precision"] = "float64", ["apply_gated_attention"] = true,
        ["cross_attention_adaln"] = true, ["caption_proj_before_connector"] = true,
        ["connector_num_attention_heads"] = 32, ["connector_attention_head_dim"] = 128, ["connector_num_layers"] = 8,
        ["audio_connector_num_attention_heads"] = 32, ["audio_connector_attention_head_dim"] = 64,
        ["connector_positional_embedding_max_pos"] = new JsonArray(4096), ["connector_apply_gated_attention"] = true,
    };

    public static LtxTransformerConfig Parse(int layers)
    {
        using var doc = JsonDocument.Parse(TransformerSection(layers).ToJsonString());
        return LtxTransformerConfig.Parse(doc.RootElement, "real LTX-2.3 config");
    }
}
