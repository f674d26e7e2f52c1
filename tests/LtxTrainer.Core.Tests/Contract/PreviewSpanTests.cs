using LtxTrainer.Core.Contract;
using static LtxTrainer.Core.Tests.Contract.RequestBuilder;

namespace LtxTrainer.Core.Tests.Contract;

public sealed class PreviewSpanTests
{
    [Theory]
    // duration, fps → frames (smallest 8k+1 covering duration·fps, 9..121), seconds, steps
    [InlineData(5.0, 8, 41, 5.125, 128)]
    [InlineData(5.0, 24, 121, 5.041666666666667, 126)]   // validation_runner.py: the product cap, 126 tokens
    [InlineData(5.0, 30, 121, 4.033333333333333, 101)]   // capped: 150 frames wanted
    [InlineData(5.0, 60, 121, 2.0166666666666666, 50)]   // capped: 300 frames wanted
    [InlineData(60.0, 8, 121, 15.125, 378)]              // capped at the lowest rate
    [InlineData(0.5, 8, 9, 1.125, 28)]                   // at least 9 frames
    [InlineData(0.5, 50, 25, 0.5, 12)]                   // 12.5 steps → 12 (half to even)
    [InlineData(3.0, 24, 73, 3.0416666666666665, 76)]    // exactly 72 frames wanted → 73
    [InlineData(3.0416, 24, 73, 3.0416666666666665, 76)]
    public void PreviewFollowsThe8kPlus1RuleUpToTheCap(double duration, int fps, int frames, double seconds, long steps)
    {
        Assert.Equal(frames, PreviewSpan.Frames(duration, fps));
        Assert.Equal(0, (frames - 1) % 8);
        var derived = Validate(("audio_duration_seconds", duration), ("validation_frame_rate", fps), ("conditioning_seconds", 0.1)).Derived;
        Assert.NotNull(derived);
        Assert.Equal(frames, derived.PreviewFrames);
        Assert.Equal(seconds, derived.PreviewSeconds, 12);
        Assert.Equal(steps, derived.PreviewSteps);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(24)]
    [InlineData(30)]
    [InlineData(60)]
    public void NoDurationGoesPastTheCap(int fps)
    {
        for (double d = 0.5; d <= 60.0; d += 0.25)
        {
            int frames = PreviewSpan.Frames(d, fps);
            Assert.InRange(frames, PreviewSpan.MinimumFrames, PreviewSpan.MaximumFrames);
            Assert.True(frames >= Math.Min(d * fps - 1e-9, PreviewSpan.MaximumFrames - 8), $"{d} s at {fps} fps gave {frames} frames");
        }
        Assert.Equal(121.0 / fps, PreviewSpan.MaximumSeconds(fps), 12);
    }

    [Theory]
    // At 60 fps the preview is capped at 121 frames = 2.0167 s = 50 steps; a separately encoded suffix
    // takes floor(floor(N16/160)/4)+1 steps.
    [InlineData(1.92, true)]   // 49 steps: one left to generate
    [InlineData(1.96, false)]  // 50 steps: none left
    [InlineData(2.0, false)]   // 51 steps
    public void WithValidationTheSuffixMustLeaveAPreviewStep(double conditioning, bool valid)
    {
        var entries = new object?[] { Entry("p", "preview.wav") };
        var result = Validate(("conditioning_seconds", conditioning), ("validation_frame_rate", 60), ("validation", entries));
        if (valid)
        {
            Accepted(result);
            Assert.Equal(1, result.Derived!.PreviewLeadInSteps);
        }
        else
        {
            var error = SingleError(result, "conditioning_seconds");
            Assert.Contains("validation preview", error.Message);
            Assert.Contains("121 frames at 60 fps", error.Message);
        }
    }

    [Fact]
    public void ASuffixLongerThanTheClipIsOneErrorNotTwo()
    {
        var entries = new object?[] { Entry("p", "preview.wav") };
        var error = SingleError(Validate(("conditioning_seconds", 5.0), ("validation", entries)), "conditioning_seconds");
        Assert.Contains("must be below audio_duration_seconds", error.Message);
    }

    [Fact]
    public void WithoutValidationEntriesThePreviewDoesNotLimitTheSuffix()
        => Accepted(Validate(("conditioning_seconds", 1.96), ("validation_frame_rate", 60)));

    [Theory]
    [InlineData(8)]
    [InlineData(24)]
    [InlineData(30)]
    public void LowerFrameRatesLeaveRoomForTheSameSuffix(int fps)
    {
        var entries = new object?[] { Entry("p", "preview.wav") };
        Accepted(Validate(("conditioning_seconds", 1.96), ("validation_frame_rate", fps), ("validation", entries)));
    }
}
