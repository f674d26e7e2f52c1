using System.Text.Json.Nodes;

namespace LtxTrainer.Core.Demo;

/// <summary>
/// The <c>__metadata__</c> config of the demo checkpoint and the Gemma <c>config.json</c>: every key the real
/// LTX-2.3 header and the published Gemma 3 12B config carry, with the real values except the widths and
/// depths of <see cref="DemoModelSize"/>. Real values follow the LTX-2.3 header as read by
/// <c>ltx_core/model/transformer/model_configurator.py</c>, <c>ltx_core/model/audio_vae/model_configurator.py</c>
/// and the Hugging Face <c>google/gemma-3-12b</c> config.
/// </summary>
public static class DemoModelConfig
{
    /// <summary><c>model_version</c> of the LTX-2.3 files.</summary>
    public const string ModelVersion = "2.3.0";

    /// <summary>The whole <c>config</c> object: transformer, audio VAE and vocoder sections.</summary>
    public static JsonObject Checkpoint(DemoModelSize size) => new()
    {
        ["transformer"] = Transformer(size),
        ["audio_vae"] = AudioVae(size),
        ["vocoder"] = Vocoder(size),
    };

    /// <summary><c>config.transformer</c> with the 2.3 flags (gated attention, cross-attention AdaLN, projection before the connector).</summary>
    public static JsonObject Transformer(DemoModelSize size) => new()
    {
        ["_class_name"] = "AVTransformer3DModel",
        ["activation_fn"] = "gelu-approximate",
        ["attention_bias"] = true,
        ["attention_head_dim"] = size.AudioHeadDim,
        ["attention_type"] = "default",
        ["caption_channels"] = size.GemmaHidden,
        ["cross_attention_dim"] = size.AudioWidth,
        ["double_self_attention"] = false,
        ["dropout"] = 0.0,
        ["in_channels"] = 128,
        ["norm_elementwise_affine"] = false,
        ["norm_eps"] = 1e-6,
        ["norm_num_groups"] = 32,
        ["num_attention_heads"] = size.AudioHeads,
        ["num_embeds_ada_norm"] = 1000,
        ["num_layers"] = size.TransformerLayers,
        ["num_vector_embeds"] = null,
        ["only_cross_attention"] = false,
        ["cross_attention_norm"] = true,
        ["out_channels"] = 128,
        ["upcast_attention"] = false,
        ["use_linear_projection"] = false,
        ["qk_norm"] = "rms_norm",
        ["standardization_norm"] = "rms_norm",
        ["positional_embedding_type"] = "rope",
        ["positional_embedding_theta"] = 10000.0,
        ["positional_embedding_max_pos"] = new JsonArray(20, 2048, 2048),
        ["timestep_scale_multiplier"] = 1000,
        ["av_ca_timestep_scale_multiplier"] = 1000.0,
        ["causal_temporal_positioning"] = true,
        ["audio_num_attention_heads"] = size.AudioHeads,
        ["audio_attention_head_dim"] = size.AudioHeadDim,
        ["use_audio_video_cross_attention"] = true,
        ["share_ff"] = false,
        // The real header omits audio_in_channels (default 128 = 8 latent channels x 16 mels); the demo's
        // tokens are narrower, so it says so.
        ["audio_in_channels"] = size.TokenWidth,
        ["audio_out_channels"] = size.TokenWidth,
        ["audio_cross_attention_dim"] = size.AudioWidth,
        ["audio_positional_embedding_max_pos"] = new JsonArray(20),
        ["av_cross_ada_norm"] = true,
        ["use_embeddings_connector"] = true,
        ["connector_attention_head_dim"] = size.AudioHeadDim,
        ["connector_num_attention_heads"] = size.AudioHeads,
        ["connector_num_layers"] = size.ConnectorLayers,
        ["connector_positional_embedding_max_pos"] = new JsonArray(4096),
        ["connector_num_learnable_registers"] = 128,
        ["connector_norm_output"] = true,
        ["use_middle_indices_grid"] = true,
        ["apply_gated_attention"] = true,
        ["connector_apply_gated_attention"] = true,
        ["caption_projection_first_linear"] = false,
        ["caption_projection_second_linear"] = false,
        ["caption_proj_input_norm"] = false,
        ["connector_learnable_registers_std"] = 1,
        ["caption_proj_before_connector"] = true,
        ["audio_connector_attention_head_dim"] = size.AudioHeadDim,
        ["audio_connector_num_attention_heads"] = size.AudioHeads,
        ["cross_attention_adaln"] = true,
        ["text_encoder_norm_type"] = "per_token_rms",
        ["rope_type"] = "split",
        ["frequencies_precision"] = "float64",
    };

    /// <summary><c>config.audio_vae</c>: the real front-end (16 kHz, hop 160, n_fft 1024, 64 mels, causal) with tiny channels.</summary>
    public static JsonObject AudioVae(DemoModelSize size) => new()
    {
        ["model"] = new JsonObject
        {
            ["params"] = new JsonObject
            {
                ["ddconfig"] = new JsonObject
                {
                    ["double_z"] = true, ["mel_bins"] = 64, ["z_channels"] = size.VaeLatentChannels, ["resolution"] = 256,
                    ["downsample_time"] = false, ["in_channels"] = 2, ["out_ch"] = 2, ["ch"] = size.VaeChannels,
                    ["ch_mult"] = new JsonArray(size.VaeChannelMultipliers.Select(m => (JsonNode)m).ToArray()),
                    ["num_res_blocks"] = 1, ["attn_resolutions"] = new JsonArray(), ["dropout"] = 0.0,
                    ["mid_block_add_attention"] = false, ["norm_type"] = "pixel", ["causality_axis"] = "height",
                },
                ["sampling_rate"] = 16000,
            },
        },
        ["preprocessing"] = new JsonObject
        {
            ["audio"] = new JsonObject
            {
                ["sampling_rate"] = 16000, ["max_wav_value"] = 32768.0, ["duration"] = 5.12, ["stereo"] = true, ["causal_padding"] = 3,
            },
            ["stft"] = new JsonObject { ["filter_length"] = 1024, ["hop_length"] = 160, ["win_length"] = 1024, ["causal"] = true },
            ["mel"] = new JsonObject { ["n_mel_channels"] = 64, ["mel_fmin"] = 0, ["mel_fmax"] = 8000 },
        },
    };

    /// <summary>
    /// <c>config.vocoder</c>: BigVGAN-v2 with the real rates (×160 to 16 kHz) and the bandwidth extension with the
    /// real rates and STFT (×240 to 48 kHz, n_fft 512, hop 80), narrow channels.
    /// </summary>
    public static JsonObject Vocoder(DemoModelSize size) => new()
    {
        ["vocoder"] = Generator(size.VocoderChannels, [5, 2, 2, 2, 2, 2], [11, 4, 4, 4, 4, 4]),
        ["bwe"] = With(Generator(size.BweChannels, [6, 5, 2, 2, 2], [12, 11, 4, 4, 4]), new JsonObject
        {
            ["apply_final_activation"] = false, ["input_sampling_rate"] = 16000, ["output_sampling_rate"] = 48000,
            ["hop_length"] = 80, ["n_fft"] = 512, ["win_size"] = 512, ["num_mels"] = 64,
        }),
    };

    /// <summary>
    /// The Hugging Face <c>config.json</c> of a Gemma 3 folder (<c>Gemma3ForConditionalGeneration</c>, the layout of
    /// the 12B checkpoint LTX-2.3 uses) with the given text widths and the real vocabulary, rope and window settings.
    /// </summary>
    public static JsonObject Gemma(int hidden, int layers, int heads, int keyValueHeads, int headDim, int intermediate, int vocabSize = DemoModelSize.GemmaVocabSize) => new()
    {
        ["architectures"] = new JsonArray("Gemma3ForConditionalGeneration"),
        ["boi_token_index"] = 255999,
        ["eoi_token_index"] = 256000,
        ["eos_token_id"] = new JsonArray(1, 106),
        ["image_token_index"] = 262144,
        ["initializer_range"] = 0.02,
        ["mm_tokens_per_image"] = 256,
        ["model_type"] = "gemma3",
        ["text_config"] = new JsonObject
        {
            ["hidden_size"] = hidden, ["intermediate_size"] = intermediate, ["model_type"] = "gemma3_text",
            ["num_attention_heads"] = heads, ["num_hidden_layers"] = layers, ["num_key_value_heads"] = keyValueHeads,
            ["head_dim"] = headDim, ["query_pre_attn_scalar"] = headDim,
            ["rope_scaling"] = new JsonObject { ["factor"] = 8.0, ["rope_type"] = "linear" },
            ["rope_theta"] = 1000000.0, ["rope_local_base_freq"] = 10000.0,
            ["sliding_window"] = 1024, ["sliding_window_pattern"] = 6,
            ["vocab_size"] = vocabSize, ["max_position_embeddings"] = 131072, ["rms_norm_eps"] = 1e-6,
            ["hidden_activation"] = "gelu_pytorch_tanh",
        },
        ["torch_dtype"] = "bfloat16",
    };

    private static JsonObject Generator(int channels, int[] rates, int[] kernels) => new()
    {
        ["upsample_initial_channel"] = channels,
        ["resblock"] = "AMP1",
        ["upsample_rates"] = new JsonArray(rates.Select(r => (JsonNode)r).ToArray()),
        ["resblock_kernel_sizes"] = new JsonArray(3, 7, 11),
        ["upsample_kernel_sizes"] = new JsonArray(kernels.Select(k => (JsonNode)k).ToArray()),
        ["resblock_dilation_sizes"] = new JsonArray(new JsonArray(1, 3, 5), new JsonArray(1, 3, 5), new JsonArray(1, 3, 5)),
        ["stereo"] = true,
        ["use_tanh_at_final"] = false,
        ["activation"] = "snakebeta",
        ["use_bias_at_final"] = false,
    };

    private static JsonObject With(JsonObject target, JsonObject extra)
    {
        foreach (var (key, value) in extra.ToList())
        {
            extra.Remove(key);
            target[key] = value;
        }
        return target;
    }
}
