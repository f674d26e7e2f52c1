using LtxTrainer.Core.Dataset;

namespace LtxTrainer.Core.Tests.Dataset;

public sealed class SuffixCarvingTests
{
    [Theory]
    [InlineData(5.0, 1.0, 126, 25, 101, 1.0, 4.0, 64000)]
    [InlineData(2.0, 0.5, 51, 12, 39, 0.48, 1.52, 24320)]   // round(12.5) = 12, half-to-even
    [InlineData(10.0, 2.5, 251, 62, 189, 2.48, 7.52, 120320)] // round(62.5) = 62
    [InlineData(3.3, 0.7, 83, 18, 65, 0.72, 2.58, 41280)]   // round(17.5) = 18
    public void CarvesLeadInAndSuffixInStepsAndSeconds(double clip, double conditioning, long total, long suffix, long leadIn,
        double suffixSeconds, double leadInSeconds, long suffixStart)
    {
        var carving = SuffixCarving.For(clip, conditioning);
        Assert.Equal(total, carving.ClipSteps);
        Assert.Equal(suffix, carving.SuffixSteps);
        Assert.Equal(leadIn, carving.LeadInSteps);
        Assert.Equal(suffixSeconds, carving.SuffixSeconds, 9);
        Assert.Equal(leadInSeconds, carving.LeadInSeconds, 9);
        Assert.Equal(suffixStart, carving.SuffixStartSample);
    }

    [Theory]
    [InlineData(0, 1, "AudioDurationSeconds")]
    [InlineData(5, 5, "ConditioningSeconds")]
    [InlineData(5, 0.01, "ConditioningSeconds")]
    [InlineData(700, 1, "AudioDurationSeconds")]
    [InlineData(61, 1, "AudioDurationSeconds")]    // the contract's limits, not looser ones of the dataset's own
    [InlineData(0.4, 0.2, "AudioDurationSeconds")]
    [InlineData(5, 0.05, "ConditioningSeconds")]
    [InlineData(40, 31, "ConditioningSeconds")]
    [InlineData(double.NaN, 1, "AudioDurationSeconds")]
    public void InvalidSettingsNameTheField(double duration, double conditioning, string field)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new DatasetSettings(duration, conditioning).Validated());
        Assert.Equal(field, e.ParamName);
    }

    [Fact]
    public void StretchToleranceIsBounded()
    {
        Assert.Equal("StretchTolerance", Assert.ThrowsAny<ArgumentException>(() => new DatasetSettings(5, 1, StretchTolerance: 0.6).Validated()).ParamName);
    }
}
