using LtxTrainer.Core.Audio;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class ClipConditionerTests(RealAudioFiles files) : IClassFixture<RealAudioFiles>
{
    private static ArrayDecoder Mono(float[] samples, int rate) => new(samples, rate, 1);

    [Fact]
    public void KeepsTheEndOfALongRecordingAtSixteenKilohertzStereo()
    {
        var options = new ClipFitOptions(1.0, TrimFrom.End, Normalize: false);
        var clip = ClipConditioner.Condition(files["s16.wav"], options, null);
        Assert.Equal(16000, clip.Left.Length);
        Assert.Equal(16000, clip.Right.Length);
        Assert.Equal(44100, clip.SourceSampleRate);
        Assert.Equal(3.0, clip.SourceSeconds, 2);

        // The official order: cut round(d·sr) source samples, then resample them.
        var source = FfmpegTool.DecodeF32(files["s16.wav"], 2);
        int frames = source.Length / 2;
        var tailLeft = Enumerable.Range(frames - 44100, 44100).Select(i => source[2 * i]).ToArray();
        var expected = SincResampler.Resample(tailLeft, 44100, 16000);
        Assert.Equal(expected, clip.Left);
    }

    [Fact]
    public void StartKeepsTheBeginning()
    {
        var clip = ClipConditioner.Condition(files["s16.wav"], new ClipFitOptions(1.0, TrimFrom.Start, Normalize: false), null);
        var source = FfmpegTool.DecodeF32(files["s16.wav"], 2);
        var headLeft = Enumerable.Range(0, 44100).Select(i => source[2 * i]).ToArray();
        Assert.Equal(SincResampler.Resample(headLeft, 44100, 16000), clip.Left);
    }

    [Fact]
    public void MonoIsDuplicatedAndLengthIsExactForAnyRate()
    {
        var clip = ClipConditioner.Condition(files["mono22k.wav"], new ClipFitOptions(2.5), null);
        Assert.Equal(1, clip.SourceChannels);
        Assert.Equal(AudioLatentTiming.SamplesAt16k(2.5), clip.Left.Length);
        Assert.Equal(clip.Left, clip.Right);
    }

    [Fact]
    public void PeakNormalisesToMinusOneDbfs()
    {
        var clip = ClipConditioner.Condition(Mono(WavBytes.Sine(440, 2, 16000, 0.1f), 16000), new ClipFitOptions(1.0));
        float peak = clip.Left.Concat(clip.Right).Max(Math.Abs);
        Assert.Equal(PeakLevels.FromDbfs(-1), peak, 5);
        Assert.Equal(0.1, clip.PeakBeforeNormalization, 3);
    }

    [Fact]
    public void ShortClipIsSkippedWithBothDurations()
    {
        var e = Assert.Throws<ClipUnusableException>(() =>
            ClipConditioner.Condition(Mono(WavBytes.Sine(440, 4.21, 16000), 16000), new ClipFitOptions(5.0)));
        Assert.Equal(ClipSkipKind.TooShort, e.Kind);
        Assert.Equal("4.21 s < 5.00 s", e.Message);
    }

    [Fact]
    public void SilentClipIsSkippedNeverDividedByZero()
    {
        var e = Assert.Throws<ClipUnusableException>(() => ClipConditioner.Condition(Mono(new float[32000], 16000), new ClipFitOptions(1.0)));
        Assert.Equal(ClipSkipKind.Silent, e.Kind);
        Assert.Contains("-inf dBFS < -60 dBFS", e.Message);
        var quiet = WavBytes.Sine(440, 2, 16000, 0.0005f);
        Assert.Equal(ClipSkipKind.Silent, Assert.Throws<ClipUnusableException>(() => ClipConditioner.Condition(Mono(quiet, 16000), new ClipFitOptions(1.0))).Kind);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonFiniteSamplesAreSkipped(float bad)
    {
        var x = WavBytes.Sine(440, 2, 16000);
        x[25000] = bad;
        var e = Assert.Throws<ClipUnusableException>(() => ClipConditioner.Condition(Mono(x, 16000), new ClipFitOptions(1.0)));
        Assert.Equal(ClipSkipKind.NonFinite, e.Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SlightlyShortClipIsStretchedWithinTolerance(bool preservePitch)
    {
        var x = WavBytes.Sine(440, 0.95, 16000);
        var clip = ClipConditioner.Condition(Mono(x, 16000), new ClipFitOptions(1.0, StretchTolerance: 0.1, PreservePitch: preservePitch));
        Assert.Equal(16000, clip.Left.Length);
        Assert.Equal(1.0 / 0.95, clip.StretchRatio!.Value, 6);
        Assert.Throws<ClipUnusableException>(() => ClipConditioner.Condition(Mono(x, 16000), new ClipFitOptions(1.0, StretchTolerance: 0.04)));
    }
}
