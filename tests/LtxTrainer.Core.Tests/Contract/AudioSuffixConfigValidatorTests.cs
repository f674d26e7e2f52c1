using LtxTrainer.Core.Contract;
using static LtxTrainer.Core.Tests.Contract.RequestBuilder;

namespace LtxTrainer.Core.Tests.Contract;

public sealed class AudioSuffixConfigValidatorTests
{
    [Fact]
    public void MinimalRequestGetsEveryDefault()
    {
        var config = Accepted(Validate());
        Assert.Equal(DataZip, config.TrainingDataUrl);
        Assert.Equal("", config.TriggerPhrase);
        Assert.Equal(32, config.Rank);
        Assert.Equal(2000, config.NumberOfSteps);
        Assert.Equal(0.0002, config.LearningRate);
        Assert.Equal(1.0, config.ConditioningSeconds);
        Assert.Equal(5.0, config.AudioDurationSeconds);
        Assert.True(config.AudioNormalize);
        Assert.True(config.AudioPreservePitch);
        Assert.Empty(config.Validation);
        Assert.Equal(AudioSuffixConfig.DefaultValidationNegativePrompt, config.ValidationNegativePrompt);
        Assert.Equal(24, config.ValidationFrameRate);
        Assert.Equal(1.0, config.StgScale);
        Assert.False(config.DebugDataset);
    }

    [Fact]
    public void MissingTrainingDataUrlIsRequired()
    {
        var result = Validator().Validate(new Dictionary<string, object?>());
        var error = SingleError(result, "training_data_url");
        Assert.Contains("required", error.Message);
        Assert.Null(error.Value);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    public void AllowedRanksAreAccepted(int rank) => Assert.Equal(rank, Accepted(Validate(("rank", rank))).Rank);

    [Theory]
    [InlineData(24)]
    [InlineData(0)]
    [InlineData(-32)]
    [InlineData(256)]
    [InlineData(32.5)]
    public void OtherRanksAreRefusedNamingTheAllowedOnes(double rank)
    {
        var error = SingleError(Validate(("rank", rank)), "rank");
        Assert.Contains("8, 16, 32, 64, 128", error.Message);
        Assert.Equal(rank, error.Value);
    }

    [Theory]
    [InlineData(99, false)]
    [InlineData(100, true)]
    [InlineData(2000.0, true)]
    [InlineData(20000, true)]
    [InlineData(20001, false)]
    [InlineData(150.5, false)]
    [InlineData(-100, false)]
    public void NumberOfStepsIsAWholeNumberFrom100To20000(double steps, bool valid)
    {
        var result = Validate(("number_of_steps", steps));
        if (valid) Assert.Equal((int)steps, Accepted(result).NumberOfSteps);
        else Assert.Contains("from 100 to 20000", SingleError(result, "number_of_steps").Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void LearningRateMustBeFiniteAndPositive(double rate)
        => Assert.Contains("greater than 0", SingleError(Validate(("learning_rate", rate)), "learning_rate").Message);

    [Theory]
    [InlineData(1e-9)]
    [InlineData(0.0002)]
    [InlineData(1.0)]
    public void PositiveLearningRatesAreAccepted(double rate)
        => Assert.Equal(rate, Accepted(Validate(("learning_rate", rate))).LearningRate);

    [Theory]
    [InlineData(0.09, false)]
    [InlineData(0.1, true)]
    [InlineData(30.0, true)]
    [InlineData(30.01, false)]
    public void ConditioningSecondsIsFrom0Point1To30(double seconds, bool valid)
    {
        var result = Validate(("conditioning_seconds", seconds), ("audio_duration_seconds", 60.0));
        if (valid) Assert.Equal(seconds, Accepted(result).ConditioningSeconds);
        else Assert.Contains("from 0.1 to 30.0 seconds", SingleError(result, "conditioning_seconds").Message);
    }

    [Theory]
    [InlineData(0.49, false)]
    [InlineData(0.5, true)]
    [InlineData(60.0, true)]
    [InlineData(60.01, false)]
    public void AudioDurationSecondsIsFrom0Point5To60(double seconds, bool valid)
    {
        var result = Validate(("audio_duration_seconds", seconds), ("conditioning_seconds", 0.1));
        if (valid) Assert.Equal(seconds, Accepted(result).AudioDurationSeconds);
        else Assert.Contains("from 0.5 to 60.0 seconds", SingleError(result, "audio_duration_seconds").Message);
    }

    [Theory]
    [InlineData(2.0, 2.0)]
    [InlineData(3.0, 2.0)]
    [InlineData(0.5, 0.5)]
    public void ConditioningMustBeBelowDuration(double conditioning, double duration)
    {
        var error = SingleError(Validate(("conditioning_seconds", conditioning), ("audio_duration_seconds", duration)), "conditioning_seconds");
        Assert.Contains("must be below audio_duration_seconds", error.Message);
    }

    [Fact]
    public void ASuffixThatRoundsUpOntoTheWholeClipIsRefused()
    {
        // 0.59 s encodes to 15 steps; 0.585 s rounds to K = round(14.625) = 15: no lead-in step left,
        // although 0.585 < 0.59.
        var error = SingleError(Validate(("conditioning_seconds", 0.585), ("audio_duration_seconds", 0.59)), "conditioning_seconds");
        Assert.Contains("no lead-in step", error.Message);
        Assert.Contains("15 of the 15 latent steps", error.Message);
    }

    [Theory]
    [InlineData(0.58, 0.59, 15, 14, 1)]   // 0.58·25 = 14.499999999999998 → 14: one step left
    [InlineData(0.49, 0.5, 13, 12, 1)]    // shortest clip, 12.25 → 12
    [InlineData(0.1, 0.5, 13, 2, 11)]     // 2.5 → 2 (half to even)
    [InlineData(0.14, 5.0, 126, 4, 122)]  // 3.5000000000000004 → 4 (the float64 product, as Python)
    [InlineData(0.18, 5.0, 126, 4, 122)]  // 4.5 → 4 (half to even)
    [InlineData(0.3, 5.0, 126, 8, 118)]   // 7.5 → 8 (half to even)
    [InlineData(1.0, 4.99, 125, 25, 100)] // 4.99 s is just below the 40 ms boundary at 5.0 s
    [InlineData(1.0, 4.9599, 124, 25, 99)]
    [InlineData(1.0, 5.0, 126, 25, 101)]
    [InlineData(30.0, 60.0, 1501, 750, 751)]
    public void LatentStepsFollowTheEncoderLengthAndHalfEvenRounding(double conditioning, double duration,
        long clipSteps, long suffixSteps, long leadInSteps)
    {
        var derived = Validate(("conditioning_seconds", conditioning), ("audio_duration_seconds", duration)).Derived;
        Assert.NotNull(derived);
        Assert.Equal(clipSteps, derived.LatentStepsPerClip);
        Assert.Equal(suffixSteps, derived.SuffixSteps);
        Assert.Equal(leadInSteps, derived.LeadInSteps);
    }

    [Fact]
    public void TwoValidationEntriesAreAccepted()
    {
        var config = Accepted(Validate(("validation", new object?[]
        {
            Entry("a kick drum", "preview.wav"),
            Entry(null, "https://example.com/clip.wav"),
        })));
        Assert.Equal(new ValidationEntry("a kick drum", PreviewWav), config.Validation[0]);
        Assert.Equal(new ValidationEntry("", "https://example.com/clip.wav"), config.Validation[1]);
    }

    [Fact]
    public void ThreeValidationEntriesAreRefused()
    {
        var entries = Enumerable.Range(0, 3).Select(_ => (object?)Entry("p", "preview.wav")).ToList();
        Assert.Contains("at most 2 entries", SingleError(Validate(("validation", entries)), "validation").Message);
    }

    [Fact]
    public void AnEntryWithoutAudioUrlIsRefusedNamingTheEntry()
    {
        var result = Validate(("validation", new object?[] { Entry("p", "preview.wav"), Entry("only a prompt", null) }));
        Assert.Contains("required", SingleError(result, "validation[1].audio_url").Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptyUrlsAreRefused(string url)
    {
        Assert.Contains("must not be empty", SingleError(Validate(("training_data_url", url)), "training_data_url").Message);
        var entry = Validate(("validation", new object?[] { Entry("p", url) }));
        Assert.Contains("must not be empty", SingleError(entry, "validation[0].audio_url").Message);
    }

    [Theory]
    [InlineData("https://example.com/data.zip?sig=abc", true)]
    [InlineData("http://example.com/any-name", true)]
    [InlineData("ftp://example.com/data.zip", false)]
    [InlineData("clips.zip", true)]
    [InlineData("missing.zip", false)]
    [InlineData("notes.txt", false)]
    public void TrainingDataIsAnHttpUrlOrAnExistingLocalZip(string url, bool valid)
    {
        var result = Validate(("training_data_url", url));
        if (valid) Accepted(result);
        else Assert.Contains("http(s) URL or a local path to a .zip", SingleError(result, "training_data_url").Message);
    }

    [Fact]
    public void LocalPathsAreResolvedAgainstTheBaseDirectory()
    {
        var config = Accepted(Validate(("training_data_url", "./sub/../clips.zip")));
        Assert.Equal(DataZip, config.TrainingDataUrl);
        Assert.Equal(DataZip, Accepted(Validate(("training_data_url", new Uri(DataZip).AbsoluteUri))).TrainingDataUrl);
    }

    [Fact]
    public void ARealFileOnDiskIsFoundByTheDefaultCheck()
    {
        string folder = Directory.CreateTempSubdirectory("ltx-contract-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "real.zip"), [0x50, 0x4B, 0x05, 0x06]);
            var validator = new AudioSuffixConfigValidator(folder);
            Accepted(validator.Validate(new Dictionary<string, object?> { ["training_data_url"] = "real.zip" }));
            SingleError(validator.Validate(new Dictionary<string, object?> { ["training_data_url"] = "gone.zip" }), "training_data_url");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static TheoryData<string, object?, string> WrongTypes() => new()
    {
        { "rank", "32", "a string" },
        { "rank", true, "a boolean" },
        { "rank", null, "null" },
        { "number_of_steps", "2000", "a string" },
        { "learning_rate", "0.0002", "a string" },
        { "conditioning_seconds", new List<object?> { 1.0 }, "a list" },
        { "audio_duration_seconds", new Dictionary<string, object?>(), "an object" },
        { "audio_normalize", "true", "a string" },
        { "audio_preserve_pitch", 1, "a number" },
        { "debug_dataset", null, "null" },
        { "trigger_phrase", 5, "a number" },
        { "validation_negative_prompt", false, "a boolean" },
        { "validation_frame_rate", "24", "a string" },
        { "stg_scale", null, "null" },
        { "training_data_url", 42, "a number" },
        { "validation", "clip.wav", "a string" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void WrongTypesAreRefusedNamingTheGivenKind(string field, object? value, string kind)
        => Assert.Contains(kind, SingleError(Validate((field, value)), field).Message);

    [Fact]
    public void AValidationEntryThatIsNotAnObjectIsRefused()
        => Assert.Contains("must be an object", SingleError(Validate(("validation", new object?[] { "clip.wav" })), "validation[0]").Message);

    [Theory]
    [InlineData(7, false)]
    [InlineData(8, true)]
    [InlineData(60, true)]
    [InlineData(61, false)]
    [InlineData(23.5, false)]
    public void ValidationFrameRateIsAWholeNumberFrom8To60(double fps, bool valid)
    {
        var result = Validate(("validation_frame_rate", fps));
        if (valid) Assert.Equal((int)fps, Accepted(result).ValidationFrameRate);
        else Assert.Contains("from 8 to 60", SingleError(result, "validation_frame_rate").Message);
    }

    [Theory]
    [InlineData(-0.01, false)]
    [InlineData(0.0, true)]
    [InlineData(3.0, true)]
    [InlineData(3.01, false)]
    public void StgScaleIsFrom0To3(double stg, bool valid)
    {
        var result = Validate(("stg_scale", stg));
        if (valid) Assert.Equal(stg, Accepted(result).StgScale);
        else Assert.Contains("from 0.0 to 3.0", SingleError(result, "stg_scale").Message);
    }

    [Fact]
    public void EveryErrorIsReportedAtOnce()
    {
        var result = Validate(("rank", 24), ("number_of_steps", 99), ("learning_rate", double.NaN), ("stg_scale", 9));
        Assert.Equal(new[] { "rank", "number_of_steps", "learning_rate", "stg_scale" }, result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void UnknownFieldsAreWarningsNamingThem()
    {
        var result = Validate(("learning_rat", 0.1), ("validation", new object?[] { new Dictionary<string, object?> { ["audio_url"] = "preview.wav", ["seed"] = 3 } }));
        Accepted(result);
        Assert.Contains(result.Warnings, w => w.Field == "learning_rat" && w.Message.Contains("Unknown field learning_rat"));
        Assert.Contains(result.Warnings, w => w.Field == "validation[0].seed");
    }

    [Theory]
    [InlineData("video_url")]
    [InlineData("num_frames")]
    [InlineData("resolution")]
    [InlineData("validation_video_url")]
    [InlineData("frame_rate")]
    public void SharedVideoFieldsHaveNoEffect(string field)
    {
        var result = Validate((field, "x"));
        Accepted(result);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(field, warning.Field);
        Assert.Contains("has no effect for audio extension", warning.Message);
    }

    [Fact]
    public void KeysMatchWithoutCaseOrUnderscoresButOnlyOnce()
    {
        var config = Accepted(Validator().Validate(new Dictionary<string, object?> { ["TrainingDataUrl"] = "clips.zip", ["Number-Of-Steps"] = 500 }));
        Assert.Equal(500, config.NumberOfSteps);
        var twice = Validate(("rank", 16), ("Rank", 64));
        Assert.Contains("more than once", SingleError(twice, "rank").Message);
    }

    [Fact]
    public void ValidationOnlyFieldsWarnWithoutEntries()
    {
        var result = Validate(("validation_frame_rate", 30));
        Accepted(result);
        Assert.Contains(result.Warnings, w => w.Field == "validation_frame_rate" && w.Message.Contains("no effect without validation"));
    }

    [Fact]
    public void AConfigRoundTripsThroughTheValidator()
    {
        var config = Accepted(Validate(("rank", 64), ("validation", new object?[] { Entry("p", "preview.wav") }), ("trigger_phrase", "ltx")));
        var again = Accepted(Validator().Validate(config));
        Assert.NotSame(config.Validation, again.Validation);
        Assert.Equal(config, again);
        Assert.Equal(config.GetHashCode(), again.GetHashCode());
        Assert.NotEqual(config, again with { Validation = [] });
    }

    [Fact]
    public void ACheckedConfigHasNoPreviewFieldWarnings()
    {
        var config = Accepted(Validate());
        var again = Validator().Validate(config);
        Assert.True(again.IsValid);
        Assert.Empty(again.Warnings);
    }

    [Fact]
    public void EnsureValidThrowsWithEveryError()
    {
        var result = Validate(("rank", 24), ("stg_scale", -1));
        var ex = Assert.Throws<InvalidRequestException>(() => result.EnsureValid());
        Assert.Equal(2, ex.Errors.Count);
        Assert.Equal("rank", ex.ParamName);
        Assert.StartsWith("The request is invalid (2 errors): rank must be one of", ex.Message);
        Assert.DoesNotContain("(Parameter", ex.Message);
    }

    [Fact]
    public void NonObjectRequestsAreRefused()
    {
        SingleError(Validator().Validate((object?)null), AudioSuffixConfigValidator.RequestField);
        SingleError(Validator().Validate(new List<object?> { 1 }), AudioSuffixConfigValidator.RequestField);
    }

    [Fact]
    public void NoRawValueMakesTheValidatorThrow()
    {
        object?[] oddValues =
        [
            null, "", " ", "x", "NaN", true, false, 0, -1, 1e308, double.NaN, double.NegativeInfinity, decimal.MaxValue,
            long.MinValue, ulong.MaxValue, (byte)8, 32f, new List<object?>(), new List<object?> { null },
            new Dictionary<string, object?>(), new System.Collections.Hashtable { [1] = 2 }, new object(), Guid.Empty,
            "https://", "file:///", "C:\\data\\clips.zip", "\0", new string('a', 5000),
        ];
        var validator = Validator();
        foreach (var field in RequestFields.All.Append("unknown"))
        {
            foreach (var value in oddValues)
            {
                var result = validator.Validate(Request((field, value)));
                Assert.True(result.IsValid || result.Errors.Count > 0);
            }
        }
    }
}
