using System.Text;
using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Dataset;

namespace LtxTrainer.Core.Training;

/// <summary>
/// Which value wins when a run's request comes from several places: a field given explicitly (a cmdlet
/// parameter) beats the same field of a piped config, which beats the contract's default; the archive of a piped
/// dataset stands in for <c>training_data_url</c> when nothing else names one. The merged request is checked by the
/// contract before any work, exactly as <c>Test-ExtendSuffixConfig</c> checks it.
/// </summary>
public static class TrainingRequestResolver
{
    /// <param name="config">A normalized config (e.g. piped from Test-ExtendSuffixConfig), or null.</param>
    /// <param name="fields">Explicit fields, by snake_case or PascalCase name (a cmdlet's bound parameters).</param>
    /// <param name="dataset">A dataset given alongside, or null.</param>
    /// <param name="baseDirectory">Where relative paths in the request are resolved.</param>
    /// <exception cref="InvalidRequestException">The merged request breaks the contract; every error is named.</exception>
    public static AudioSuffixConfig Resolve(AudioSuffixConfig? config, IReadOnlyDictionary<string, object?> fields, AudioSuffixDataset? dataset,
        string baseDirectory)
    {
        var request = config is null
            ? new Dictionary<string, object?>(StringComparer.Ordinal)
            : new Dictionary<string, object?>(AudioSuffixConfigValidator.ToRequest(config), StringComparer.Ordinal);
        foreach (var (name, value) in fields) request[SnakeCase(name)] = value;
        if (!request.ContainsKey(RequestFields.TrainingDataUrl) && dataset is not null)
            request[RequestFields.TrainingDataUrl] = dataset.Source;
        if (dataset is not null)
        {
            // A dataset was carved for its own seconds: unless the request says otherwise they are the run's.
            request.TryAdd(RequestFields.AudioDurationSeconds, dataset.Settings.AudioDurationSeconds);
            request.TryAdd(RequestFields.ConditioningSeconds, dataset.Settings.ConditioningSeconds);
        }
        var resolved = new AudioSuffixConfigValidator(baseDirectory).Validate(request).EnsureValid();
        if (dataset is not null) CheckDataset(resolved, dataset);
        return resolved;
    }

    /// <summary>
    /// A dataset fits a request when it was carved for the same clip and suffix seconds (the latent steps trained and
    /// kept clean follow from them).
    /// </summary>
    /// <exception cref="ArgumentException">The dataset was built for other seconds; names both.</exception>
    public static void CheckDataset(AudioSuffixConfig config, AudioSuffixDataset dataset)
    {
        if (dataset.Settings.AudioDurationSeconds != config.AudioDurationSeconds || dataset.Settings.ConditioningSeconds != config.ConditioningSeconds)
            throw new ArgumentException(System.FormattableString.Invariant(
                $"The dataset in '{dataset.WorkFolder}' was built for {dataset.Settings.AudioDurationSeconds} s clips with a {dataset.Settings.ConditioningSeconds} s suffix; the request asks for {config.AudioDurationSeconds} s and {config.ConditioningSeconds} s. Build the dataset from this request (New-AudioSuffixDataset) or change the request."),
                "Dataset");
        if (dataset.Clips.Count == 0) throw new ArgumentException($"The dataset in '{dataset.WorkFolder}' has no clips.", "Dataset");
    }

    /// <summary>The dataset settings a request asks for (its seconds, trigger phrase and audio options).</summary>
    public static DatasetSettings DatasetSettingsFor(AudioSuffixConfig config) => new DatasetSettings(
        config.AudioDurationSeconds, config.ConditioningSeconds, config.TriggerPhrase, config.AudioNormalize, config.AudioPreservePitch).Validated();

    private static string SnakeCase(string name)
    {
        if (name.Contains('_') || name.All(c => !char.IsUpper(c))) return name;
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
