using System.Globalization;
using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Contract;

namespace LtxTrainer.Core.Dataset;

/// <summary>
/// The one place a validated request (<see cref="AudioSuffixConfig"/>) becomes dataset settings, and
/// where values given beside a request are reconciled with it: they are applied to the request and the
/// result is checked by the contract again, so an explicit value can never build what the contract refuses.
/// </summary>
public static class DatasetSettingsMapping
{
    /// <summary>
    /// The settings a request asks for: audio_duration_seconds, conditioning_seconds, trigger_phrase,
    /// audio_normalize and audio_preserve_pitch; the options the request has no field for are given here.
    /// </summary>
    public static DatasetSettings FromConfig(AudioSuffixConfig config, double stretchTolerance = 0.0,
        TrimFrom trimFrom = TrimFrom.End, bool trimSilence = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new DatasetSettings(config.AudioDurationSeconds, config.ConditioningSeconds, config.TriggerPhrase,
            config.AudioNormalize, config.AudioPreservePitch, stretchTolerance, trimFrom, trimSilence);
    }

    /// <summary>
    /// Applies <paramref name="explicitValues"/> (request field name → value, e.g.
    /// <c>conditioning_seconds → 1.0</c>) to <paramref name="config"/>. Each value that differs from the
    /// request's is returned as a warning naming the field; a result the contract refuses throws
    /// <see cref="InvalidRequestException"/> naming the field. Only the dataset's fields may be given.
    /// </summary>
    public static (AudioSuffixConfig Config, IReadOnlyList<ConfigFieldWarning> Warnings) ApplyExplicit(
        AudioSuffixConfig config, IReadOnlyDictionary<string, object?> explicitValues, AudioSuffixConfigValidator? validator = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(explicitValues);
        var request = new Dictionary<string, object?>(AudioSuffixConfigValidator.ToRequest(config));
        var warnings = new List<ConfigFieldWarning>();
        foreach (var (field, value) in explicitValues)
        {
            if (!DatasetFields.Contains(field))
                throw new ArgumentException($"{field} is not a dataset setting (expected one of {string.Join(", ", DatasetFields)}).", nameof(explicitValues));
            if (Equals(request[field], value)) continue;
            warnings.Add(new ConfigFieldWarning(field,
                $"{field} {Show(value)} given explicitly replaces the request's {Show(request[field])}."));
            request[field] = value;
        }
        if (warnings.Count == 0) return (config, warnings);
        var result = (validator ?? new AudioSuffixConfigValidator()).Validate(request);
        return (result.EnsureValid(), warnings);
    }

    /// <summary>The request fields a dataset is built from.</summary>
    public static IReadOnlyList<string> DatasetFields { get; } =
    [
        RequestFields.AudioDurationSeconds, RequestFields.ConditioningSeconds, RequestFields.TriggerPhrase,
        RequestFields.AudioNormalize, RequestFields.AudioPreservePitch,
    ];

    private static string Show(object? value) => value switch
    {
        string s => "'" + s + "'",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };
}
