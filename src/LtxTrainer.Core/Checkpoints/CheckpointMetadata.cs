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
        return CheckpointJson.Parse(json, $"{description}: __metadata__ \"config\"");
    }

    /// <summary>One section of the config (e.g. "transformer"), or null when absent.</summary>
    public static JsonElement? Section(JsonDocument config, string name) =>
        config.RootElement.ValueKind == JsonValueKind.Object && config.RootElement.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Object
            ? e
            : null;

    /// <summary>
    /// A section the caller cannot work without (e.g. "audio_vae"); throws naming <paramref name="description"/>
    /// and the key <c>config.&lt;name&gt;</c> when it is absent.
    /// </summary>
    /// <param name="config">The parsed config (<see cref="ReadConfig"/>).</param>
    /// <param name="name">The section's name.</param>
    /// <param name="description">What was read, for the message (a file path or a component).</param>
    /// <param name="file">The file to name in the exception, when known.</param>
    public static JsonElement RequiredSection(JsonDocument config, string name, string description, string? file = null) =>
        Section(config, name)
        ?? throw new CheckpointFormatException($"{description}: the metadata config has no \"{name}\" section.", file, $"config.{name}");

    /// <summary><c>model_version</c> when present (e.g. "2.3.0").</summary>
    public static string? ModelVersion(ITensorSource source) => source.Metadata.GetValueOrDefault("model_version");
}
