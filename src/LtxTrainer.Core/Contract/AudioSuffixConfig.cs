namespace LtxTrainer.Core.Contract;

/// <summary>
/// A request the contract accepted, normalized: every field present (defaults filled), local paths made
/// absolute. Produced by <see cref="AudioSuffixConfigValidator"/>; the training cmdlets take it as input.
/// Field names are the request's snake_case names in PascalCase (training_data_url → TrainingDataUrl).
/// </summary>
public sealed record AudioSuffixConfig
{
    public const int DefaultRank = 32;
    public const int DefaultNumberOfSteps = 2000;
    public const double DefaultLearningRate = 0.0002;
    public const double DefaultConditioningSeconds = 1.0;
    public const double DefaultAudioDurationSeconds = 5.0;
    public const int DefaultValidationFrameRate = 24;
    public const double DefaultStgScale = 1.0;

    /// <summary>
    /// The negative prompt for validation previews when the request gives none: the audio failure modes
    /// a backward extension should avoid (written for this module; the upstream list is mostly visual).
    /// </summary>
    public const string DefaultValidationNegativePrompt =
        "low quality, worst quality, distorted audio, clipping, muffled sound, background noise, hiss, hum, " +
        "static, crackling, digital artifacts, compression artifacts, robotic voice, metallic timbre, " +
        "abrupt cut, sudden silence, dropouts, echo, out of tune, off-beat";

    /// <summary>The allowed LoRA ranks.</summary>
    public static IReadOnlyList<int> AllowedRanks { get; } = [8, 16, 32, 64, 128];

    /// <summary>http(s) URL of the training .zip, or the full path of a local .zip.</summary>
    public required string TrainingDataUrl { get; init; }

    public string TriggerPhrase { get; init; } = "";

    public int Rank { get; init; } = DefaultRank;

    public int NumberOfSteps { get; init; } = DefaultNumberOfSteps;

    public double LearningRate { get; init; } = DefaultLearningRate;

    /// <summary>Seconds at the end of every clip kept clean as the suffix the lead-in is generated before.</summary>
    public double ConditioningSeconds { get; init; } = DefaultConditioningSeconds;

    /// <summary>Length every training clip is fitted to.</summary>
    public double AudioDurationSeconds { get; init; } = DefaultAudioDurationSeconds;

    public bool AudioNormalize { get; init; } = true;

    public bool AudioPreservePitch { get; init; } = true;

    public IReadOnlyList<ValidationEntry> Validation { get; init; } = [];

    public string ValidationNegativePrompt { get; init; } = DefaultValidationNegativePrompt;

    public int ValidationFrameRate { get; init; } = DefaultValidationFrameRate;

    public double StgScale { get; init; } = DefaultStgScale;

    public bool DebugDataset { get; init; }

    /// <summary>Value equality, including the validation entries (a list compares by reference otherwise).</summary>
    public bool Equals(AudioSuffixConfig? other) =>
        other is not null
        && TrainingDataUrl == other.TrainingDataUrl
        && TriggerPhrase == other.TriggerPhrase
        && Rank == other.Rank
        && NumberOfSteps == other.NumberOfSteps
        && LearningRate.Equals(other.LearningRate)
        && ConditioningSeconds.Equals(other.ConditioningSeconds)
        && AudioDurationSeconds.Equals(other.AudioDurationSeconds)
        && AudioNormalize == other.AudioNormalize
        && AudioPreservePitch == other.AudioPreservePitch
        && Validation.SequenceEqual(other.Validation)
        && ValidationNegativePrompt == other.ValidationNegativePrompt
        && ValidationFrameRate == other.ValidationFrameRate
        && StgScale.Equals(other.StgScale)
        && DebugDataset == other.DebugDataset;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(TrainingDataUrl);
        hash.Add(Rank);
        hash.Add(NumberOfSteps);
        hash.Add(LearningRate);
        hash.Add(ConditioningSeconds);
        hash.Add(AudioDurationSeconds);
        foreach (var entry in Validation) hash.Add(entry);
        return hash.ToHashCode();
    }
}
