using System.Text.Json;
using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Builds the feature extractor an LTX checkpoint asks for (ltx-core <c>_create_feature_extractor</c>):
/// V2 when <c>config.transformer</c> has <c>caption_proj_before_connector: true</c> and
/// <c>caption_projection_first_linear</c> / <c>caption_projection_second_linear</c> /
/// <c>caption_proj_input_norm</c> all present and false (LTX-2.3); otherwise V1 (LTX-2). Only the
/// <c>text_embedding_projection.*</c> tensors are read.
/// </summary>
public static class TextFeatureExtractors
{
    public const string ProjectionPrefix = "text_embedding_projection.";

    /// <summary>True when the transformer config selects FeatureExtractorV2.</summary>
    public static bool SelectsV2(JsonElement transformer)
    {
        static bool Is(JsonElement e, string key, JsonValueKind kind) => e.TryGetProperty(key, out var v) && v.ValueKind == kind;
        return Is(transformer, "caption_proj_before_connector", JsonValueKind.True)
            && Is(transformer, "caption_projection_first_linear", JsonValueKind.False)
            && Is(transformer, "caption_projection_second_linear", JsonValueKind.False)
            && Is(transformer, "caption_proj_input_norm", JsonValueKind.False);
    }

    /// <param name="ltxCheckpoint">The unified LTX checkpoint (or any source with its keys and metadata).</param>
    /// <param name="gemma">The Gemma config the features come from (hidden size, state count).</param>
    /// <param name="includeVideo">Also load the video projection (not needed to train audio).</param>
    /// <param name="dtype">Dtype of the projection weights (the Gemma compute dtype).</param>
    /// <param name="device">Device of the projection weights.</param>
    public static ITextFeatureExtractor Load(ITensorSource ltxCheckpoint, Gemma3TextConfig gemma, bool includeVideo,
        torch.ScalarType dtype, torch.Device device)
    {
        string file = GemmaCheckpoint.SourcePath(ltxCheckpoint);
        using var config = CheckpointMetadata.ReadConfig(ltxCheckpoint, $"LTX checkpoint '{file}'");
        var transformer = CheckpointMetadata.Section(config, "transformer")
            ?? throw new CheckpointFormatException($"LTX checkpoint '{file}' has no \"transformer\" section in its config.", file);
        if (!SelectsV2(transformer))
            return new FeatureExtractorV1(AggregateProjection.Load(ltxCheckpoint, ProjectionPrefix + "aggregate_embed.", gemma, false, dtype, device));
        var audio = AggregateProjection.Load(ltxCheckpoint, ProjectionPrefix + "audio_aggregate_embed.", gemma, true, dtype, device);
        try
        {
            var video = includeVideo
                ? AggregateProjection.Load(ltxCheckpoint, ProjectionPrefix + "video_aggregate_embed.", gemma, true, dtype, device)
                : null;
            return new FeatureExtractorV2(audio, video, gemma.HiddenSize);
        }
        catch
        {
            audio.Dispose();
            throw;
        }
    }
}
