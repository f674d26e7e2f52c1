using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Dataset;

namespace LtxTrainer.Core.Tests.Dataset;

public sealed class DatasetSettingsMappingTests
{
    private static readonly string Zip = Path.Combine(Path.GetTempPath(), "mapping-test.zip");

    private static AudioSuffixConfig Config(string json) =>
        new AudioSuffixConfigValidator(fileExists: _ => true).ValidateJson(json).EnsureValid();

    private static AudioSuffixConfigValidator Validator => new(fileExists: _ => true);

    [Fact]
    public void ARequestMapsToTheSettingsItAsksFor()
    {
        var config = Config($$"""{"training_data_url": "{{Zip}}", "audio_duration_seconds": 3, "conditioning_seconds": 0.5, "trigger_phrase": "drm", "audio_normalize": false, "audio_preserve_pitch": false}""");
        var settings = DatasetSettingsMapping.FromConfig(config, stretchTolerance: 0.1, trimFrom: TrimFrom.Start, trimSilence: false);
        Assert.Equal(new DatasetSettings(3, 0.5, "drm", Normalize: false, PreservePitch: false, StretchTolerance: 0.1, TrimFrom: TrimFrom.Start, TrimSilence: false), settings);
    }

    [Fact]
    public void TheDefaultsAreTheContractsDefaults()
    {
        var fromContract = DatasetSettingsMapping.FromConfig(Config($$"""{"training_data_url": "{{Zip}}"}"""));
        var plain = new DatasetSettings(fromContract.AudioDurationSeconds, fromContract.ConditioningSeconds, "");
        Assert.Equal(fromContract, plain);
        Assert.True(plain.PreservePitch);
        Assert.True(plain.TrimSilence);
    }

    [Fact]
    public void AnExplicitValueThatDiffersIsAppliedWithAWarningNamingTheField()
    {
        var config = Config($$"""{"training_data_url": "{{Zip}}", "audio_duration_seconds": 2, "conditioning_seconds": 0.5}""");
        var (applied, warnings) = DatasetSettingsMapping.ApplyExplicit(config, new Dictionary<string, object?>
        {
            [RequestFields.ConditioningSeconds] = 1.0,
            [RequestFields.AudioDurationSeconds] = 2.0,
        }, Validator);
        Assert.Equal(1.0, applied.ConditioningSeconds);
        var warning = Assert.Single(warnings);
        Assert.Equal(RequestFields.ConditioningSeconds, warning.Field);
        Assert.Contains("conditioning_seconds 1 given explicitly replaces the request's 0.5", warning.Message);
    }

    [Theory]
    [InlineData(RequestFields.ConditioningSeconds, 0.05)]
    [InlineData(RequestFields.ConditioningSeconds, 2.0)]
    [InlineData(RequestFields.AudioDurationSeconds, 120.0)]
    public void AnExplicitValueTheContractRefusesIsRefusedNamingTheField(string field, double value)
    {
        var config = Config($$"""{"training_data_url": "{{Zip}}", "audio_duration_seconds": 2, "conditioning_seconds": 0.5}""");
        var e = Assert.Throws<InvalidRequestException>(() =>
            DatasetSettingsMapping.ApplyExplicit(config, new Dictionary<string, object?> { [field] = value }, Validator));
        Assert.Contains(e.Errors, error => error.Field == field);
    }

    [Fact]
    public void OnlyTheDatasetsFieldsMayBeGiven()
    {
        var config = Config($$"""{"training_data_url": "{{Zip}}"}""");
        Assert.Throws<ArgumentException>(() =>
            DatasetSettingsMapping.ApplyExplicit(config, new Dictionary<string, object?> { [RequestFields.Rank] = 8 }, Validator));
    }
}
