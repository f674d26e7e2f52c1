using LtxTrainer.Core.Contract;

namespace LtxTrainer.Core.Tests.Contract;

/// <summary>
/// Raw requests for the contract tests, and a validator whose file system is a fixed set of paths
/// under <see cref="BaseDirectory"/>, so path rules are tested without touching the disk.
/// </summary>
internal static class RequestBuilder
{
    public static readonly string BaseDirectory = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "ltx-contract-tests"));
    public static readonly string DataZip = Path.Combine(BaseDirectory, "clips.zip");
    public static readonly string PreviewWav = Path.Combine(BaseDirectory, "preview.wav");

    private static readonly HashSet<string> Existing = new(StringComparer.Ordinal)
    {
        DataZip, PreviewWav, Path.Combine(BaseDirectory, "notes.txt"),
    };

    public static AudioSuffixConfigValidator Validator() => new(BaseDirectory, Existing.Contains);

    /// <summary>A minimal valid request plus <paramref name="fields"/> (pairs of name, value; a later pair wins).</summary>
    public static Dictionary<string, object?> Request(params (string Name, object? Value)[] fields)
    {
        var request = new Dictionary<string, object?>(StringComparer.Ordinal) { ["training_data_url"] = "clips.zip" };
        foreach (var (name, value) in fields) request[name] = value;
        return request;
    }

    public static Dictionary<string, object?> Entry(string? prompt, string? audioUrl)
    {
        var entry = new Dictionary<string, object?>();
        if (prompt is not null) entry["prompt"] = prompt;
        if (audioUrl is not null) entry["audio_url"] = audioUrl;
        return entry;
    }

    public static ConfigValidationResult Validate(params (string Name, object? Value)[] fields) =>
        Validator().Validate(Request(fields));

    /// <summary>The single error of a refused request, checked to name <paramref name="field"/>.</summary>
    public static ConfigFieldError SingleError(ConfigValidationResult result, string field)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        Assert.Null(result.Derived);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        if (field != AudioSuffixConfigValidator.RequestField) Assert.Contains(field, error.Message, StringComparison.Ordinal);
        return error;
    }

    public static AudioSuffixConfig Accepted(ConfigValidationResult result)
    {
        Assert.True(result.IsValid, string.Join(" | ", result.Errors.Select(e => e.Message)));
        Assert.NotNull(result.Derived);
        return Assert.IsType<AudioSuffixConfig>(result.Config);
    }
}
