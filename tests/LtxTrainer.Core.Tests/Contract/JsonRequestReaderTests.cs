using LtxTrainer.Core.Contract;
using static LtxTrainer.Core.Tests.Contract.RequestBuilder;

namespace LtxTrainer.Core.Tests.Contract;

public sealed class JsonRequestReaderTests
{
    private static string Json(string fields) => "{\"training_data_url\": \"clips.zip\"" + (fields.Length > 0 ? ", " + fields : "") + "}";

    [Fact]
    public void AFullJsonRequestIsAccepted()
    {
        var result = Validator().ValidateJson(Json("""
            "trigger_phrase": "ltxaudio", "rank": 16, "number_of_steps": 500, "learning_rate": 1e-4,
            "conditioning_seconds": 0.5, "audio_duration_seconds": 4, "audio_normalize": false,
            "audio_preserve_pitch": true, "validation": [{"prompt": "rain", "audio_url": "preview.wav"}],
            "validation_negative_prompt": "", "validation_frame_rate": 30, "stg_scale": 0, "debug_dataset": true
            """));
        var config = Accepted(result);
        Assert.Empty(result.Warnings);
        Assert.Equal(16, config.Rank);
        Assert.Equal(1e-4, config.LearningRate);
        Assert.Equal(4.0, config.AudioDurationSeconds);
        Assert.False(config.AudioNormalize);
        Assert.Equal("", config.ValidationNegativePrompt);
        Assert.True(config.DebugDataset);
        Assert.Equal(PreviewWav, Assert.Single(config.Validation).AudioUrl);
    }

    [Theory]
    [InlineData("\"rank\": 1e400", "rank", "finite")]
    [InlineData("\"learning_rate\": -1e400", "learning_rate", "finite")]
    [InlineData("\"number_of_steps\": \"2000\"", "number_of_steps", "a string")]
    [InlineData("\"learning_rate\": \"NaN\"", "learning_rate", "a string")]
    [InlineData("\"audio_normalize\": null", "audio_normalize", "null")]
    [InlineData("\"validation\": {}", "validation", "an object")]
    public void JsonValuesAreSeenAsWritten(string field, string name, string expected)
        => Assert.Contains(expected, SingleError(Validator().ValidateJson(Json(field)), name).Message);

    [Fact]
    public void DuplicateJsonKeysAreRefused()
        => Assert.Contains("more than once", SingleError(Validator().ValidateJson(Json("\"rank\": 8, \"rank\": 16")), "rank").Message);

    [Theory]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("{\"rank\": }")]
    public void MalformedJsonIsARequestError(string json)
        => Assert.Contains("not valid JSON", SingleError(Validator().ValidateJson(json), AudioSuffixConfigValidator.RequestField).Message);

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("null")]
    public void NonObjectJsonIsARequestError(string json)
        => Assert.Contains("must be an object", SingleError(Validator().ValidateJson(json), AudioSuffixConfigValidator.RequestField).Message);

    [Fact]
    public void AJsonElementIsValidatedLikeText()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(Json("\"rank\": 24"));
        SingleError(Validator().Validate(doc.RootElement), "rank");
    }
}
