using System.Text.Json;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// The audio-relevant part of <c>config.transformer</c> with the official defaults filled in for absent
/// keys (ltx-core <c>LTXAudioOnlyModelConfigurator</c> in ltx_core/model/transformer/model_configurator.py). Real
/// headers omit some keys the
/// tiny golden checkpoints carry (e.g. <c>audio_in_channels</c>): absent means the default.
/// </summary>
public sealed record LtxTransformerConfig
{
    public required LtxModelVariant Variant { get; init; }
    public required int NumLayers { get; init; }
    public required int AudioHeads { get; init; }
    public required int AudioHeadDim { get; init; }
    public required int AudioInChannels { get; init; }
    public required int AudioOutChannels { get; init; }
    /// <summary>
    /// <c>audio_cross_attention_dim</c>, the text context width, ltx-core's default 2048 when absent (the real headers
    /// carry it). Only the transformer needs it to equal the audio width (checked when it is built), so a file read
    /// for its text connector alone may leave it out whatever its widths.
    /// </summary>
    public required int AudioCrossAttentionDim { get; init; }
    public required double NormEps { get; init; }
    public required double TimestepScaleMultiplier { get; init; }
    public required double RopeTheta { get; init; }
    public required double AudioMaxPos { get; init; }
    public required bool UseMiddleIndicesGrid { get; init; }

    /// <summary><c>frequencies_precision == "float64"</c>: the RoPE frequency grid is built in float64.</summary>
    public required bool RopeFloat64Grid { get; init; }

    public required bool GatedAttention { get; init; }
    public required bool CrossAttentionAdaLN { get; init; }
    public required bool UsePromptAdaLN { get; init; }
    public required bool AudioFfBias { get; init; }

    /// <summary>19B: width of the text features fed to <c>audio_caption_projection</c>.</summary>
    public required int CaptionChannels { get; init; }

    public required AudioConnectorConfig AudioConnector { get; init; }

    /// <summary>Audio transformer width D = heads × head dim.</summary>
    public int AudioInnerDim => AudioHeads * AudioHeadDim;

    /// <summary>Feed-forward inner width (FeedForward mult 4; not a config key).</summary>
    public int AudioFfInnerDim => 4 * AudioInnerDim;

    /// <summary>AdaLN rows per block: 9 with cross-attention AdaLN (2.3), else 6.</summary>
    public int AdaLNRows => CrossAttentionAdaLN ? 9 : 6;

    /// <summary>Prompt AdaLN exists only together with cross-attention AdaLN.</summary>
    public bool HasPromptAdaLN => CrossAttentionAdaLN && UsePromptAdaLN;

    /// <summary>19B keeps a caption projection inside the transformer; 2.3 projects before the connector.</summary>
    public bool HasCaptionProjection => Variant == LtxModelVariant.Ltx2;

    /// <summary>Parses <c>config.transformer</c>; <paramref name="file"/> names the checkpoint in errors.</summary>
    public static LtxTransformerConfig Parse(JsonElement t, string file)
    {
        var r = new ConfigReader(file, "config.transformer", file);
        // Constants every supported checkpoint has (ltx-core check_config_value); present means must match.
        r.RequireBool(t, "attention_bias", true);
        r.Require(t, "activation_fn", "gelu-approximate");
        r.Require(t, "qk_norm", "rms_norm");
        r.RequireBool(t, "norm_elementwise_affine", false);
        r.Require(t, "positional_embedding_type", "rope");
        r.Require(t, "standardization_norm", "rms_norm");
        r.RequireBool(t, "use_middle_indices_grid", true);
        r.Require(t, "rope_type", "split");
        r.RequireNumber(t, "dropout", 0.0);

        bool gated = r.Bool(t, "apply_gated_attention", false);
        bool crossAdaLN = r.Bool(t, "cross_attention_adaln", false);
        bool projBefore = r.Bool(t, "caption_proj_before_connector", false);
        LtxModelVariant variant = (gated, crossAdaLN, projBefore) switch
        {
            (true, true, true) => LtxModelVariant.Ltx23,
            (false, false, false) => LtxModelVariant.Ltx2,
            // A mix belongs to no released model; guessing would load a model that silently differs.
            _ => throw new CheckpointFormatException(
                $"{file}: config.transformer mixes LTX-2 and LTX-2.3 flags (apply_gated_attention={gated}, " +
                $"cross_attention_adaln={crossAdaLN}, caption_proj_before_connector={projBefore}); expected all true (2.3) or all false (2.0).",
                file, "config.transformer"),
        };

        int connectorHeads = r.Int(t, "connector_num_attention_heads", 30);
        int connectorHeadDim = r.Int(t, "connector_attention_head_dim", 128);
        var connector = new AudioConnectorConfig(
            Heads: r.Int(t, "audio_connector_num_attention_heads", connectorHeads),
            HeadDim: r.Int(t, "audio_connector_attention_head_dim", connectorHeadDim),
            Layers: r.Int(t, "audio_connector_num_layers", r.Int(t, "connector_num_layers", 2)),
            MaxPos: SingleMaxPos(r, t, "connector_positional_embedding_max_pos", 1),
            GatedAttention: r.Bool(t, "connector_apply_gated_attention", false),
            FfBias: r.Bool(t, "connector_ff_bias", true),
            // ltx-core ignores connector_num_learnable_registers and hard-codes 128 (= every real file).
            Registers: 128);

        var config = new LtxTransformerConfig
        {
            Variant = variant,
            NumLayers = r.Int(t, "num_layers", 48),
            AudioHeads = r.Int(t, "audio_num_attention_heads", 32),
            AudioHeadDim = r.Int(t, "audio_attention_head_dim", 64),
            AudioInChannels = r.Int(t, "audio_in_channels", 128),
            AudioOutChannels = r.Int(t, "audio_out_channels", 128),
            AudioCrossAttentionDim = r.Int(t, "audio_cross_attention_dim", 2048),
            NormEps = r.Double(t, "norm_eps", 1e-6),
            TimestepScaleMultiplier = r.Double(t, "timestep_scale_multiplier", 1000),
            RopeTheta = r.Double(t, "positional_embedding_theta", 10000.0),
            AudioMaxPos = SingleMaxPos(r, t, "audio_positional_embedding_max_pos", 20),
            UseMiddleIndicesGrid = true,
            RopeFloat64Grid = r.String(t, "frequencies_precision", "") == "float64",
            GatedAttention = gated,
            CrossAttentionAdaLN = crossAdaLN,
            UsePromptAdaLN = r.Bool(t, "use_prompt_adaln_single", true),
            AudioFfBias = r.Bool(t, "audio_ff_bias", true),
            CaptionChannels = r.Int(t, "caption_channels", 3840),
            AudioConnector = connector,
        };
        if (config.AudioHeads <= 0 || config.AudioHeadDim <= 0 || config.NumLayers <= 0 || config.AudioHeadDim % 2 != 0)
            throw new CheckpointFormatException(
                $"{file}: config.transformer has an impossible audio shape (layers {config.NumLayers}, heads {config.AudioHeads}, head dim {config.AudioHeadDim}).",
                file, "config.transformer");
        return config;
    }

    /// <summary>A one-element max_pos list (audio and connector positions are one-dimensional).</summary>
    private static double SingleMaxPos(ConfigReader r, JsonElement t, string key, double fallback)
    {
        var list = r.OptionalDoubleList(t, key);
        if (list is null) return fallback;
        return list is [> 0 and var single] ? single : throw r.Error(key, "expected a one-element list holding a positive number.");
    }
}
