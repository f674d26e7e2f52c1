using System.Text.Json.Serialization;
using LtxTrainer.Core.Ingest;

namespace LtxTrainer.Core.Dataset;

/// <summary>
/// A built dataset: its settings, kept clips, skipped clips with reasons and ignored archive entries.
/// It is stored as <see cref="DatasetManifest.FileName"/> in its work folder beside the processed clips,
/// and reopened from there with <see cref="DatasetManifest.Read"/>.
/// </summary>
/// <param name="FormatVersion">Manifest format version (<see cref="DatasetManifest.CurrentFormatVersion"/>).</param>
/// <param name="Settings">The settings the dataset was built with.</param>
/// <param name="Source">The archive path, or the URL without its query string.</param>
/// <param name="CreatedUtc">When the dataset was built.</param>
/// <param name="Carving">Lead-in/suffix split shared by every clip.</param>
/// <param name="Clips">The kept clips, ordered by name.</param>
/// <param name="Skipped">Clips left out and why, ordered by name.</param>
/// <param name="Ignored">Archive entries not used (system files, non-audio, orphan captions).</param>
public sealed record AudioSuffixDataset(
    int FormatVersion,
    DatasetSettings Settings,
    string Source,
    DateTimeOffset CreatedUtc,
    SuffixCarving Carving,
    IReadOnlyList<ClipRecord> Clips,
    IReadOnlyList<SkippedClip> Skipped,
    IReadOnlyList<IgnoredEntry> Ignored)
{
    /// <summary>Fewer kept clips than this deserves a warning: a LoRA needs variety.</summary>
    public const int RecommendedMinimumClips = 10;

    /// <summary>The work folder holding the manifest and processed clips (set when built or reopened).</summary>
    [JsonIgnore]
    public string WorkFolder { get; init; } = string.Empty;

    [JsonIgnore]
    public string ManifestPath => Path.Combine(WorkFolder, DatasetManifest.FileName);

    [JsonIgnore]
    public int KeptCount => Clips.Count;

    [JsonIgnore]
    public int SkippedCount => Skipped.Count;

    [JsonIgnore]
    public double TotalSeconds => Clips.Sum(c => c.Seconds);

    /// <summary>Full path of a clip's processed audio.</summary>
    public string AudioPathOf(ClipRecord clip) => Path.Combine(WorkFolder, clip.AudioFile);
}
