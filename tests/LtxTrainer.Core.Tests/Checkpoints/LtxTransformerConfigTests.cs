using System.Text.Json;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Transformer;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Checkpoints;

public sealed class LtxTransformerConfigTests
{
    // The real LTX-2.3 header's transformer section, audio-relevant keys (docs/numerical-reference.md): no
    // audio_in_channels,
    // audio_ff_bias, use_prompt_adaln_single or audio_connector_num_layers.
    private const string Real23 = """
        {"num_layers": 48, "audio_num_attention_heads": 32, "audio_attention_head_dim": 64, "audio_cross_attention_dim": 2048,
         "audio_out_channels": 128, "norm_eps": 1e-06, "timestep_scale_multiplier": 1000, "positional_embedding_theta": 10000.0,
         "audio_positional_embedding_max_pos": [20], "use_middle_indices_grid": true, "rope_type": "split", "frequencies_precision": "float64",
         "apply_gated_attention": true, "cross_attention_adaln": true, "caption_proj_before_connector": true,
         "caption_projection_first_linear": false, "caption_projection_second_linear": false, "caption_proj_input_norm": false,
         "connector_num_attention_heads": 32, "connector_attention_head_dim": 128, "connector_num_layers": 8,
         "audio_connector_num_attention_heads": 32, "audio_connector_attention_head_dim": 64,
         "connector_positional_embedding_max_pos": [4096], "connector_apply_gated_attention": true,
         "attention_bias": true, "activation_fn": "gelu-approximate", "qk_norm": "rms_norm", "norm_elementwise_affine": false,
         "positional_embedding_type": "rope"}
        """;

    private const string Real19 = """
        {"num_layers": 48, "audio_num_attention_heads": 32, "audio_attention_head_dim": 64, "audio_cross_attention_dim": 2048,
         "caption_channels": 3840, "rope_type": "split", "frequencies_precision": "float64",
         "connector_num_attention_heads": 30, "connector_attention_head_dim": 128, "connector_num_layers": 2,
         "connector_positional_embedding_max_pos": [4096]}
        """;

    private static LtxTransformerConfig Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return LtxTransformerConfig.Parse(doc.RootElement, "test.safetensors");
    }

    [Fact]
    public void Real_23_header_gets_the_official_defaults()
    {
        var c = Parse(Real23);
        Assert.Equal(LtxModelVariant.Ltx23, c.Variant);
        Assert.Equal(128, c.AudioInChannels);
        Assert.True(c.AudioFfBias);
        Assert.True(c.HasPromptAdaLN);
        Assert.Equal(9, c.AdaLNRows);
        Assert.Equal(2048, c.AudioInnerDim);
        Assert.Equal(8192, c.AudioFfInnerDim);
        Assert.False(c.HasCaptionProjection);
        Assert.True(c.RopeFloat64Grid);
        Assert.Equal(20, c.AudioMaxPos);
        Assert.Equal(new AudioConnectorConfig(32, 64, 8, 4096, true, true, 128), c.AudioConnector);
    }

    [Fact]
    public void Real_19_header_is_ltx2_with_six_rows_and_a_caption_projection()
    {
        var c = Parse(Real19);
        Assert.Equal(LtxModelVariant.Ltx2, c.Variant);
        Assert.Equal(6, c.AdaLNRows);
        Assert.False(c.HasPromptAdaLN);
        Assert.True(c.HasCaptionProjection);
        Assert.Equal(3840, c.CaptionChannels);
        Assert.Equal(new AudioConnectorConfig(30, 128, 2, 4096, false, true, 128), c.AudioConnector);
    }

    [Fact]
    public void Mixed_variant_flags_are_rejected()
    {
        var ex = Assert.Throws<CheckpointFormatException>(() => Parse("""{"apply_gated_attention": true}"""));
        Assert.Contains("apply_gated_attention", ex.Message);
    }

    [Theory]
    [InlineData("""{"num_layers": "48"}""", "num_layers")]
    [InlineData("""{"rope_type": "interleaved"}""", "rope_type")]
    [InlineData("""{"qk_norm": "layer_norm"}""", "qk_norm")]
    [InlineData("""{"audio_positional_embedding_max_pos": [20, 2048]}""", "audio_positional_embedding_max_pos")]
    [InlineData("""{"attention_bias": false}""", "attention_bias")]
    public void Bad_values_name_their_key(string json, string key)
    {
        var ex = Assert.Throws<CheckpointFormatException>(() => Parse(json));
        Assert.Equal("config.transformer." + key, ex.Key);
        Assert.Contains(key, ex.Message);
    }

    [Fact]
    public void Absent_audio_cross_attention_dim_takes_the_official_default()
    {
        var c = Parse("""{"audio_num_attention_heads": 2, "audio_attention_head_dim": 16}""");
        Assert.Equal(2048, c.AudioCrossAttentionDim);
    }

    [Fact]
    public void Transformer_needs_a_context_as_wide_as_itself()
    {
        // Parsing succeeds (a file read for its text connector alone may have any widths); building fails, naming the key.
        var c = Parse("""{"num_layers": 1, "audio_num_attention_heads": 2, "audio_attention_head_dim": 16}""");
        var ex = Assert.Throws<CheckpointFormatException>(() => new AudioTransformer(c, new RandomWeightSource(ScalarType.Float32, META)).Dispose());
        Assert.Equal("config.transformer.audio_cross_attention_dim", ex.Key);
        Assert.Contains("2048", ex.Message);
        Assert.Contains("32", ex.Message);
        using var model = new AudioTransformer(c with { AudioCrossAttentionDim = 32 }, new RandomWeightSource(ScalarType.Float32, META));
    }
}
