using System.Text.Json;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// The audio-relevant part of <c>config.transformer</c> with the official defaults filled in for absent
/// keys (ltx-core <c>LTXAudioOnlyModelConfigurator</c>; spec §1.4, §6.1). Real headers omit some keys the
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
        var r = new ConfigReader(t, file);
        // Constants every supported checkpoint has (ltx-core check_config_value); present means must match.
        r.Require("attention_bias", true);
        r.Require("activation_fn", "gelu-approximate");
        r.Require("qk_norm", "rms_norm");
        r.Require("norm_elementwise_affine", false);
        r.Require("positional_embedding_type", "rope");
        r.Require("standardization_norm", "rms_norm");
        r.Require("use_middle_indices_grid", true);
        r.Require("rope_type", "split");
        r.Require("dropout", 0.0);

        bool gated = r.Bool("apply_gated_attention", false);
        bool crossAdaLN = r.Bool("cross_attention_adaln", false);
        bool projBefore = r.Bool("caption_proj_before_connector", false);
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

        int connectorHeads = r.Int("connector_num_attention_heads", 30);
        int connectorHeadDim = r.Int("connector_attention_head_dim", 128);
        var connector = new AudioConnectorConfig(
            Heads: r.Int("audio_connector_num_attention_heads", connectorHeads),
            HeadDim: r.Int("audio_connector_attention_head_dim", connectorHeadDim),
            Layers: r.Int("audio_connector_num_layers", r.Int("connector_num_layers", 2)),
            MaxPos: r.SingleMaxPos("connector_positional_embedding_max_pos", 1),
            GatedAttention: r.Bool("connector_apply_gated_attention", false),
            FfBias: r.Bool("connector_ff_bias", true),
            // ltx-core ignores connector_num_learnable_registers and hard-codes 128 (= every real file).
            Registers: 128);

        var config = new LtxTransformerConfig
        {
            Variant = variant,
            NumLayers = r.Int("num_layers", 48),
            AudioHeads = r.Int("audio_num_attention_heads", 32),
            AudioHeadDim = r.Int("audio_attention_head_dim", 64),
            AudioInChannels = r.Int("audio_in_channels", 128),
            AudioOutChannels = r.Int("audio_out_channels", 128),
            // Absent from real 2.3 headers; ltx-core's default 2048 is the real audio width, so the width itself
            // is the default (also right for files with other widths, e.g. the text-path reference heads).
            AudioCrossAttentionDim = r.Int("audio_cross_attention_dim",
                r.Int("audio_num_attention_heads", 32) * r.Int("audio_attention_head_dim", 64)),
            NormEps = r.Double("norm_eps", 1e-6),
            TimestepScaleMultiplier = r.Double("timestep_scale_multiplier", 1000),
            RopeTheta = r.Double("positional_embedding_theta", 10000.0),
            AudioMaxPos = r.SingleMaxPos("audio_positional_embedding_max_pos", 20),
            UseMiddleIndicesGrid = true,
            RopeFloat64Grid = r.String("frequencies_precision", "") == "float64",
            GatedAttention = gated,
            CrossAttentionAdaLN = crossAdaLN,
            UsePromptAdaLN = r.Bool("use_prompt_adaln_single", true),
            AudioFfBias = r.Bool("audio_ff_bias", true),
            CaptionChannels = r.Int("caption_channels", 3840),
            AudioConnector = connector,
        };
        if (config.AudioHeads <= 0 || config.AudioHeadDim <= 0 || config.NumLayers <= 0 || config.AudioHeadDim % 2 != 0)
            throw new CheckpointFormatException(
                $"{file}: config.transformer has an impossible audio shape (layers {config.NumLayers}, heads {config.AudioHeads}, head dim {config.AudioHeadDim}).",
                file, "config.transformer");
        if (variant == LtxModelVariant.Ltx23 && config.AudioCrossAttentionDim != config.AudioInnerDim)
            throw new CheckpointFormatException(
                $"{file}: audio_cross_attention_dim {config.AudioCrossAttentionDim} must equal the audio width {config.AudioInnerDim} for LTX-2.3.",
                file, "config.transformer.audio_cross_attention_dim");
        return config;
    }

    private readonly struct ConfigReader(JsonElement t, string file)
    {
        private bool TryGet(string key, out JsonElement e)
        {
            if (t.TryGetProperty(key, out e) && e.ValueKind != JsonValueKind.Null) return true;
            return false;
        }

        private CheckpointFormatException Bad(string key, string expected, JsonElement found) =>
            new($"{file}: config.transformer.{key} is {found.GetRawText()}, expected {expected}.", file, "config.transformer." + key);

        public int Int(string key, int fallback)
        {
            if (!TryGet(key, out var e)) return fallback;
            if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue) return (int)d;
            throw Bad(key, "an integer", e);
        }

        public double Double(string key, double fallback)
        {
            if (!TryGet(key, out var e)) return fallback;
            if (e.ValueKind == JsonValueKind.Number) return e.GetDouble();
            throw Bad(key, "a number", e);
        }

        public bool Bool(string key, bool fallback)
        {
            if (!TryGet(key, out var e)) return fallback;
            return e.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Bad(key, "true or false", e),
            };
        }

        public string String(string key, string fallback)
        {
            if (!TryGet(key, out var e)) return fallback;
            if (e.ValueKind == JsonValueKind.String) return e.GetString()!;
            throw Bad(key, "a string", e);
        }

        /// <summary>A one-element max_pos list (audio and connector positions are one-dimensional).</summary>
        public double SingleMaxPos(string key, double fallback)
        {
            if (!TryGet(key, out var e)) return fallback;
            if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 1 && e[0].ValueKind == JsonValueKind.Number && e[0].GetDouble() > 0)
                return e[0].GetDouble();
            throw Bad(key, "a one-element list holding a positive number", e);
        }

        public void Require(string key, bool expected)
        {
            if (TryGet(key, out var e) && e.ValueKind != (expected ? JsonValueKind.True : JsonValueKind.False))
                throw Bad(key, expected ? "true" : "false", e);
        }

        public void Require(string key, string expected)
        {
            if (TryGet(key, out var e) && (e.ValueKind != JsonValueKind.String || e.GetString() != expected))
                throw Bad(key, $"\"{expected}\"", e);
        }

        public void Require(string key, double expected)
        {
            if (TryGet(key, out var e) && (e.ValueKind != JsonValueKind.Number || e.GetDouble() != expected))
                throw Bad(key, expected.ToString(System.Globalization.CultureInfo.InvariantCulture), e);
        }
    }
}
