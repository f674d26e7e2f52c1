using System.Text.Json;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// Parses the JSON that comes with model files (safetensors headers, their <c>config</c> metadata, Hugging Face
/// config and tokenizer files). Malformed JSON is a malformed model file, so it becomes a
/// <see cref="CheckpointFormatException"/> that names what was read, never a bare <see cref="JsonException"/>.
/// </summary>
public static class CheckpointJson
{
    /// <summary>Parses UTF-8 bytes.</summary>
    /// <param name="utf8">The JSON text.</param>
    /// <param name="what">What the text is, for the message: "'{what}' is not valid JSON".</param>
    /// <param name="file">The file to name in the exception, when known.</param>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string what, string? file = null) =>
        Parse(() => JsonDocument.Parse(utf8), what, file);

    /// <summary>Parses a string.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="what">What the text is, for the message.</param>
    /// <param name="file">The file to name in the exception, when known.</param>
    public static JsonDocument Parse(string json, string what, string? file = null) =>
        Parse(() => JsonDocument.Parse(json), what, file);

    /// <summary>Reads and parses a whole file, naming it in the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for the message.</param>
    public static JsonDocument ParseFile(string path, string what)
    {
        using var stream = File.OpenRead(path);
        return Parse(() => JsonDocument.Parse(stream), what, path);
    }

    private static JsonDocument Parse(Func<JsonDocument> parse, string what, string? file)
    {
        try
        {
            return parse();
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException($"{what} is not valid JSON ({ex.Message}).", file, inner: ex);
        }
    }
}
