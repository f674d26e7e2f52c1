using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Dataset;
using LtxTrainer.Core.Training;

namespace LtxTrainer.Core.Outputs;

/// <summary>
/// What a finished run says about its LoRA: the config JSON beside it (trigger phrase, training type, rank, steps,
/// learning rate, conditioning and clip seconds, base-model identity, dataset summary) and the training metadata
/// in the LoRA file's safetensors header. The header holds only values fixed by the request and the seed (no times,
/// no paths), so a resumed run writes the same bytes as an uninterrupted one.
/// </summary>
public static class TrainedLoraDescription
{
    private const string Prefix = "ltxtrainer.";

    /// <summary>The LoRA file's <c>__metadata__</c>.</summary>
    public static IReadOnlyDictionary<string, string> HeaderMetadata(AudioSuffixConfig config, TrainingPlan plan, string? modelVersion) =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Prefix + "training_type"] = TrainingPlan.TrainingType,
            [Prefix + "trigger_phrase"] = config.TriggerPhrase,
            [Prefix + "rank"] = Invariant(plan.Lora.Rank),
            [Prefix + "alpha"] = Invariant(plan.Lora.Alpha),
            [Prefix + "alpha_folded_into_lora_B"] = "true",
            [Prefix + "steps"] = Invariant(plan.Steps),
            [Prefix + "learning_rate"] = Invariant(plan.LearningRate),
            [Prefix + "conditioning_seconds"] = Invariant(config.ConditioningSeconds),
            [Prefix + "audio_duration_seconds"] = Invariant(config.AudioDurationSeconds),
            [Prefix + "suffix_tokens"] = Invariant(plan.SuffixTokens),
            [Prefix + "seed"] = Invariant(plan.Run.Seed),
            [Prefix + "base_model_version"] = modelVersion ?? "",
        };

    /// <summary>Writes the config JSON (atomically) and returns its path.</summary>
    public static string WriteConfig(string path, AudioSuffixConfig config, TrainingPlan plan, AudioSuffixDataset dataset, string modelPath,
        string? modelVersion, TrainingLoopResult loop, string loraFile)
    {
        var json = new JsonObject
        {
            ["training_type"] = TrainingPlan.TrainingType,
            ["trigger_phrase"] = config.TriggerPhrase,
            ["lora_file"] = Path.GetFileName(loraFile),
            ["lora_dtype"] = plan.Run.LoraDType.ToString().ToLowerInvariant(),
            ["rank"] = plan.Lora.Rank,
            ["alpha"] = plan.Lora.Alpha,
            ["target_modules"] = new JsonArray(plan.Lora.TargetModules.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
            ["number_of_steps"] = plan.Steps,
            ["steps_done"] = loop.StepsDone,
            ["learning_rate"] = plan.LearningRate,
            ["lr_schedule"] = plan.StepOptions.Schedule.Kind.ToString().ToLowerInvariant(),
            ["conditioning_seconds"] = config.ConditioningSeconds,
            ["audio_duration_seconds"] = config.AudioDurationSeconds,
            ["suffix_tokens"] = plan.SuffixTokens,
            ["suffix_procedure"] = TrainingPlan.SuffixProcedure,
            ["seed"] = plan.Run.Seed,
            ["final_loss"] = Finite(loop.FinalLoss),
            ["smoothed_loss"] = Finite(loop.SmoothedLoss),
            ["base_model"] = new JsonObject
            {
                ["file"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(modelPath)),
                ["model_version"] = modelVersion,
                ["header_sha256"] = HeaderIdentity(modelPath),
            },
            ["dataset"] = new JsonObject
            {
                ["source"] = dataset.Source,
                ["clips"] = dataset.KeptCount,
                ["skipped"] = dataset.SkippedCount,
                ["captioned_clips"] = dataset.Clips.Count(c => c.CaptionEntry is not null),
                ["distinct_captions"] = dataset.Clips.Select(c => c.Caption).Distinct(StringComparer.Ordinal).Count(),
                ["total_seconds"] = Math.Round(dataset.TotalSeconds, 3),
            },
            ["validation"] = new JsonArray(config.Validation.Select(v => (JsonNode)new JsonObject { ["prompt"] = v.Prompt, ["audio_url"] = v.AudioUrl }).ToArray()),
            ["created_utc"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            File.WriteAllText(temp, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return full;
    }

    /// <summary>
    /// SHA-256 of the checkpoint's safetensors header(s) (every tensor's name, dtype, shape, offsets and the config
    /// metadata): tells checkpoint revisions apart in milliseconds, unlike hashing tens of gigabytes.
    /// </summary>
    public static string HeaderIdentity(string modelPath)
    {
        var files = Directory.Exists(modelPath)
            ? Directory.EnumerateFiles(modelPath, "*.safetensors").Order(StringComparer.Ordinal).ToList()
            : [modelPath];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            var len = new byte[8];
            stream.ReadExactly(len);
            var header = new byte[BitConverter.ToInt64(len)];
            stream.ReadExactly(header);
            hash.AppendData(header);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static string Invariant(IFormattable v) => v.ToString(null, CultureInfo.InvariantCulture);
}
