using System.Text.Json;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// The LTX <c>__metadata__</c> conventions: <c>config</c> is a JSON object with one section per component
/// (<c>transformer</c>, <c>audio_vae</c>, <c>vocoder</c>, …); <c>model_version</c> is a plain string.
/// Every component's configuration is read from its own section through this one place.
/// </summary>
public static class CheckpointMetadata
{
    /// <summary>Parses <c>__metadata__["config"]</c>; throws naming the file when missing or not JSON.</summary>
    public static JsonDocument ReadConfig(ITensorSource source, string description)
    {
        if (!source.Metadata.TryGetValue("config", out var json))
            throw new CheckpointFormatException($"{description} has no __metadata__ \"config\" entry; it is not an LTX checkpoint.");
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException($"{description}: __metadata__ \"config\" is not valid JSON ({ex.Message}).", inner: ex);
        }
    }

    /// <summary>One section of the config (e.g. "transformer"), or null when absent.</summary>
    public static JsonElement? Section(JsonDocument config, string name) =>
        config.RootElement.ValueKind == JsonValueKind.Object && config.RootElement.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Object
            ? e
            : null;

    /// <summary><c>model_version</c> when present (e.g. "2.3.0").</summary>
    public static string? ModelVersion(ITensorSource source) => source.Metadata.GetValueOrDefault("model_version");
}
