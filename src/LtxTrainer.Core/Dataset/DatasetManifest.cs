using System.Text.Json;
using System.Text.Json.Serialization;

namespace LtxTrainer.Core.Dataset;

/// <summary>
/// Reads and writes a dataset's manifest (<c>dataset.json</c>, UTF-8 JSON, camelCase, enums as names).
/// Writing is atomic; reading checks the format version and that every clip file it lists is present
/// inside the work folder, so a later run can rely on the dataset without re-reading the archive.
/// </summary>
public static class DatasetManifest
{
    public const string FileName = "dataset.json";
    public const string ClipsFolder = "clips";
    public const int CurrentFormatVersion = 1;

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Serialises the dataset (without its work folder, so the folder can be moved).</summary>
    public static string ToJson(AudioSuffixDataset dataset) => JsonSerializer.Serialize(dataset, JsonOptions);

    public static void Write(AudioSuffixDataset dataset)
    {
        var path = dataset.ManifestPath;
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            File.WriteAllText(temp, ToJson(dataset), new System.Text.UTF8Encoding(false));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Reopens the dataset stored in <paramref name="workFolder"/>.</summary>
    public static AudioSuffixDataset Read(string workFolder)
    {
        var folder = System.IO.Path.GetFullPath(workFolder);
        var path = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new DatasetManifestException(path, "no dataset manifest here; build one with New-AudioSuffixDataset");
        var dataset = ReadUnchecked(path) with { WorkFolder = folder };
        foreach (var clip in dataset.Clips)
        {
            foreach (var relative in new[] { clip.AudioFile, clip.CaptionFile })
            {
                var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, relative ?? string.Empty));
                if (!full.StartsWith(folder + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new DatasetManifestException(path, $"clip '{clip.Name}' points outside the work folder ({relative})");
                if (!File.Exists(full))
                    throw new DatasetManifestException(path, $"clip '{clip.Name}' is missing its file {relative}");
            }
        }
        return dataset;
    }

    /// <summary>
    /// Parses the manifest at <paramref name="path"/> and checks its shape and format version, but not the
    /// clip files it lists (a rebuild reads the previous manifest this way to learn which files are its own).
    /// </summary>
    public static AudioSuffixDataset ReadUnchecked(string path)
    {
        AudioSuffixDataset? dataset;
        try
        {
            dataset = JsonSerializer.Deserialize<AudioSuffixDataset>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new DatasetManifestException(path, "the manifest is not valid: " + e.Message, e);
        }
        if (dataset is null || dataset.Settings is null || dataset.Clips is null || dataset.Skipped is null || dataset.Carving is null)
            throw new DatasetManifestException(path, "the manifest is incomplete");
        if (dataset.FormatVersion != CurrentFormatVersion)
            throw new DatasetManifestException(path, $"format version {dataset.FormatVersion} is not supported (expected {CurrentFormatVersion})");
        return dataset with { Ignored = dataset.Ignored ?? [] };
    }
}
