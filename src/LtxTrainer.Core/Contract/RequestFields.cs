namespace LtxTrainer.Core.Contract;

/// <summary>
/// The request's field names, and how a given key is matched to one. Keys match after dropping case,
/// '_' and '-', so the JSON names (<c>training_data_url</c>), the PowerShell/record names
/// (<c>TrainingDataUrl</c>) and mixtures all name the same field; two keys naming one field are an error.
/// </summary>
public static class RequestFields
{
    public const string TrainingDataUrl = "training_data_url";
    public const string TriggerPhrase = "trigger_phrase";
    public const string Rank = "rank";
    public const string NumberOfSteps = "number_of_steps";
    public const string LearningRate = "learning_rate";
    public const string ConditioningSeconds = "conditioning_seconds";
    public const string AudioDurationSeconds = "audio_duration_seconds";
    public const string AudioNormalize = "audio_normalize";
    public const string AudioPreservePitch = "audio_preserve_pitch";
    public const string Validation = "validation";
    public const string ValidationNegativePrompt = "validation_negative_prompt";
    public const string ValidationFrameRate = "validation_frame_rate";
    public const string StgScale = "stg_scale";
    public const string DebugDataset = "debug_dataset";

    public const string Prompt = "prompt";
    public const string AudioUrl = "audio_url";

    /// <summary>Every top-level field, in the order errors are reported.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        TrainingDataUrl, TriggerPhrase, Rank, NumberOfSteps, LearningRate, ConditioningSeconds,
        AudioDurationSeconds, AudioNormalize, AudioPreservePitch, Validation, ValidationNegativePrompt,
        ValidationFrameRate, StgScale, DebugDataset,
    ];

    /// <summary>The fields of one validation entry.</summary>
    public static IReadOnlyList<string> ValidationEntryFields { get; } = [Prompt, AudioUrl];

    /// <summary>
    /// Fields of the hosted trainers' shared video/audio-video request that mean nothing for audio
    /// extension. They are accepted (so one request body can serve several trainers) with a warning.
    /// </summary>
    public static IReadOnlyList<string> VideoFields { get; } =
    [
        "video_url", "video_duration_seconds", "num_frames", "number_of_frames", "frame_rate", "resolution",
        "aspect_ratio", "video_resolution", "video_aspect_ratio", "auto_scale_input", "split_input_into_scenes",
        "split_input_duration_threshold", "first_frame_conditioning_p", "with_audio",
        "generate_audio_in_validation", "validation_video_url", "validation_image_url", "validation_resolution",
        "validation_aspect_ratio", "validation_num_frames", "validation_number_of_frames", "image_url",
    ];

    /// <summary>The key with case, '_' and '-' removed: what keys are compared by.</summary>
    public static string Fold(string key) =>
        string.Concat(key.Where(c => c != '_' && c != '-')).ToLowerInvariant();

    /// <summary>The canonical name among <paramref name="candidates"/> that <paramref name="key"/> names, or null.</summary>
    public static string? Match(string key, IReadOnlyList<string> candidates)
    {
        string folded = Fold(key);
        return candidates.FirstOrDefault(c => Fold(c) == folded);
    }
}
