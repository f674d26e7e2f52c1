using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class AudioLatentTimingTests
{
    [Theory]
    [InlineData(5.0, 126)]
    [InlineData(1.0, 26)]
    [InlineData(0.32, 9)]   // ltx_trainer/validation_runner.py: an independently encoded 0.32 s gives 9 tokens
    [InlineData(0.28, 8)]
    [InlineData(0.5, 13)]
    [InlineData(0.03, 1)]
    public void EncodedStepsMatchSpecExamples(double seconds, long expected)
        => Assert.Equal(expected, AudioLatentTiming.EncodedStepsForSeconds(seconds));

    [Fact]
    public void EncodedStepsIsCeilingOfMelFramesOverFour()
    {
        for (long n = 0; n < 5000; n += 37)
        {
            long mel = 1 + n / 160;
            Assert.Equal((long)Math.Ceiling(mel / 4.0), AudioLatentTiming.EncodedSteps(n));
            Assert.Equal(n / 160 / 4 + 1, AudioLatentTiming.EncodedSteps(n));
        }
    }

    [Theory]
    [InlineData(0.32, 8)]
    [InlineData(5.0417, 126)]
    [InlineData(3.708, 93)]
    [InlineData(0.1, 2)]   // 2.5 → 2 (half to even)
    [InlineData(0.14, 4)]  // 3.5000000000000004 → 4
    public void RoundedStepsFollowPythonRound(double seconds, long expected)
        => Assert.Equal(expected, AudioLatentTiming.RoundedSteps(seconds));

    [Fact]
    public void StepTimeSpanHasCausalOffset()
    {
        Assert.Equal((0.0, 0.01), AudioLatentTiming.StepTimeSpan(0));
        var (s, e) = AudioLatentTiming.StepTimeSpan(3);
        Assert.Equal(0.09, s, 12);
        Assert.Equal(0.13, e, 12);
        Assert.Equal(501, AudioLatentTiming.DecodedMelFrames(126));
    }
}
