namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// Key prefixes and the audio-only key selection of the official unified checkpoint
/// (ltx_core/model/transformer/model_configurator.py,
/// <c>LTXV_AUDIO_ONLY_MODEL_COMFY_RENAMING_MAP</c>).
/// </summary>
public static class LtxCheckpointKeys
{
    /// <summary>Prefix of every transformer (and 2.3 connector) key in a unified file.</summary>
    public const string Transformer = "model.diffusion_model.";

    /// <summary>Prefix of the audio text connector inside the transformer namespace.</summary>
    public const string AudioConnector = Transformer + "audio_embeddings_connector.";

    /// <summary>Prefix of every key in a LoRA file written the ltx-trainer / ComfyUI way.</summary>
    public const string Lora = "diffusion_model.";

    // ltx-core's LTXV_AUDIO_ONLY_MODEL_COMFY_RENAMING_MAP keeps a transformer key when it contains one of these.
    private static readonly string[] AudioOnlyMarkers =
    [
        "audio_attn1", "audio_attn2", "audio_ff", "audio_patchify", "audio_proj_out", "audio_adaln_single",
        "audio_prompt", "audio_scale_shift_table",
    ];

    /// <summary>
    /// True for a file key the audio-only transformer reads. The 19B model also needs
    /// <c>audio_caption_projection</c>, which the upstream audio-only map forgets
    /// (ltx_core/model/transformer/model_configurator.py): it is kept here.
    /// </summary>
    public static bool IsAudioTransformerKey(string fileKey, LtxModelVariant variant)
    {
        if (!fileKey.StartsWith(Transformer, StringComparison.Ordinal)) return false;
        if (fileKey.StartsWith(AudioConnector, StringComparison.Ordinal)) return false;
        foreach (var m in AudioOnlyMarkers)
            if (fileKey.Contains(m, StringComparison.Ordinal)) return true;
        return variant == LtxModelVariant.Ltx2 && fileKey.Contains("audio_caption_projection", StringComparison.Ordinal);
    }
}
