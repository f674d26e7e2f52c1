using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class SilenceTrimTests
{
    private const int Rate = 1000;

    // A tone at 0.5, then a "fade-out" tail 50 dB down (hiss next to the body), as interleaved stereo.
    private static float[] ToneThenTail(int leadingZeros, int tone, int tail, int trailingZeros)
    {
        float quiet = 0.5f * (float)PeakLevels.FromDbfs(-50);
        var mono = Enumerable.Repeat(0f, leadingZeros)
            .Concat(Enumerable.Range(0, tone).Select(i => 0.5f * MathF.Sin(i * 0.3f) + (i % 7 == 0 ? 0.4f : 0f)))
            .Concat(Enumerable.Range(0, tail).Select(i => i % 2 == 0 ? quiet : -quiet))
            .Concat(Enumerable.Repeat(0f, trailingZeros)).ToArray();
        return mono.SelectMany(v => new[] { v, v }).ToArray();
    }

    private static (float[] Left, float[] Right) Split(float[] interleaved) =>
        (interleaved.Where((_, i) => i % 2 == 0).ToArray(), interleaved.Where((_, i) => i % 2 == 1).ToArray());

    [Fact]
    public void TheAudibleRangeStartsAndEndsWithinFortyDecibelsOfThePeak()
    {
        var (left, right) = Split(ToneThenTail(leadingZeros: 300, tone: 2000, tail: 500, trailingZeros: 200));
        var range = SilenceTrim.Find(left, right);
        Assert.Equal(left.Max(Math.Abs), range.Peak);
        Assert.True(Math.Abs(left[range.Start]) >= SilenceTrim.Threshold(range.Peak));
        Assert.InRange(range.Start, 300, 310);        // the first tone samples near zero crossings are quieter
        Assert.InRange(range.End, 2290, 2300);        // the tail 50 dB down is not sound
        Assert.All(left[(int)range.End..], v => Assert.True(Math.Abs(v) < SilenceTrim.Threshold(range.Peak)));
    }

    [Fact]
    public void AClipSilentThroughoutHasNothingToTrim()
    {
        var quiet = Enumerable.Repeat((float)PeakLevels.FromDbfs(-70), 1000).ToArray();
        var range = SilenceTrim.Find(quiet, quiet);
        Assert.Equal((0L, 1000L), (range.Start, range.End));
        Assert.True(SilenceTrim.IsSilentThroughout(range.Peak));
    }

    [Fact]
    public void TheClosingWindowOfAClipInMemoryEndsOnItsLastSound()
    {
        var (left, right) = Split(ToneThenTail(0, 3000, 800, 200));
        var end = SilenceTrim.Find(left, right).End;
        Assert.Equal((end - 1000, left.Length - end), SilenceTrim.ClosingWindow(left, right, 1000));
        Assert.Equal((left.Length - 1000L, 0L), SilenceTrim.ClosingWindow(left, right, 1000, trim: false));
    }

    [Fact]
    public void TheEndWindowEndsOnTheLastAudibleFrameInOnePass()
    {
        var samples = ToneThenTail(0, 5000, 2000, 1000);
        var (left, right) = Split(samples);
        var range = SilenceTrim.Find(left, right);
        var window = StereoWindowReader.Read(new ArrayDecoder(samples, Rate, 2), 2000, TrimFrom.End, trimSilence: true);
        Assert.Equal(8000, window.TotalFrames);
        Assert.Equal(8000 - range.End, window.TrimmedFrames);
        Assert.Equal(left[(int)(range.End - 2000)..(int)range.End], window.Left);
        Assert.Equal(right[(int)(range.End - 2000)..(int)range.End], window.Right);
    }

    [Fact]
    public void ATrailingSilenceLongerThanOnePassHoldsIsReadAgain()
    {
        int silence = (int)(StereoWindowReader.TrailingSilenceSlackSeconds * Rate) + 5000;
        var samples = ToneThenTail(0, 5000, 0, silence);
        var (left, right) = Split(samples);
        var end = SilenceTrim.Find(left, right).End;
        var window = StereoWindowReader.Read(new ArrayDecoder(samples, Rate, 2), 2000, TrimFrom.End, trimSilence: true,
            reopen: () => new ArrayDecoder(samples, Rate, 2));
        Assert.Equal(left[(int)(end - 2000)..(int)end], window.Left);
        Assert.Equal(samples.Length / 2 - end, window.TrimmedFrames);

        // Without a way to read it again, the window ends as close to the sound as one pass holds.
        var onePass = StereoWindowReader.Read(new ArrayDecoder(samples, Rate, 2), 2000, TrimFrom.End, trimSilence: true);
        Assert.Equal(2000, onePass.Left.Length);
        Assert.True(onePass.TrimmedFrames < window.TrimmedFrames);
    }

    [Fact]
    public void TheStartWindowBeginsOnTheFirstAudibleFrameAndStillStopsEarly()
    {
        var samples = ToneThenTail(4000, 10000, 0, 0);
        var (left, right) = Split(samples);
        var decoder = new ArrayDecoder(samples, Rate, 2);
        var window = StereoWindowReader.Read(decoder, 2000, TrimFrom.Start, trimSilence: true);
        long start = window.TrimmedFrames;
        Assert.InRange(start, 4000, 4010);
        Assert.True(Math.Abs(left[start]) >= SilenceTrim.Threshold(left.Max(Math.Abs)));
        Assert.Equal(left[(int)start..(int)(start + 2000)], window.Left);
        Assert.True(decoder.SamplesRead < samples.Length, "decoding stops once the window is full");
    }

    [Theory]
    [InlineData(TrimFrom.End)]
    [InlineData(TrimFrom.Start)]
    public void AFadeOutOrFadeInIsTrimmedBeforeFittingAndRecorded(TrimFrom trimFrom)
    {
        var samples = trimFrom == TrimFrom.End ? ToneThenTail(0, 3000, 1500, 500) : ToneThenTail(2000, 3000, 0, 0);
        var clip = ClipConditioner.Condition(new ArrayDecoder(samples, Rate, 2), new ClipFitOptions(2.0, trimFrom, Normalize: false, TrimSilence: true));
        Assert.InRange(clip.TrimmedSilenceSeconds, 1.99, 2.01);
        var kept = trimFrom == TrimFrom.End ? clip.Left[^1600..] : clip.Left[..1600];
        Assert.True(kept.Max(Math.Abs) > 0.3f, "the kept end is the tone, not the quiet tail");

        // Without trimming the window lands on the quiet part: near silence at the end, silence at the start.
        if (trimFrom == TrimFrom.End)
        {
            var untrimmed = ClipConditioner.Condition(new ArrayDecoder(samples, Rate, 2), new ClipFitOptions(2.0, trimFrom, Normalize: false));
            Assert.Equal(0, untrimmed.TrimmedSilenceSeconds);
            Assert.True(untrimmed.Left[^1600..].Max(Math.Abs) < 0.01f);
        }
        else
        {
            Assert.Equal(ClipSkipKind.Silent, Assert.Throws<ClipUnusableException>(() =>
                ClipConditioner.Condition(new ArrayDecoder(samples, Rate, 2), new ClipFitOptions(2.0, trimFrom, Normalize: false))).Kind);
        }
    }

    [Fact]
    public void TrimmingThatLeavesTooLittleSoundIsTooShortSayingSo()
    {
        var samples = ToneThenTail(0, 1500, 0, 3000);
        var e = Assert.Throws<ClipUnusableException>(() =>
            ClipConditioner.Condition(new ArrayDecoder(samples, Rate, 2), new ClipFitOptions(2.0, TrimSilence: true)));
        Assert.Equal(ClipSkipKind.TooShort, e.Kind);
        Assert.Matches(@"^1\.50 s < 2\.00 s after trimming 3\.00 s of silence$", e.Message);
    }

    [Fact]
    public void AClipSilentThroughoutIsSkippedAsSilentNotShort()
    {
        var quiet = Enumerable.Repeat((float)PeakLevels.FromDbfs(-75), 2 * 1500).ToArray();
        foreach (var trimFrom in new[] { TrimFrom.End, TrimFrom.Start })
        {
            var e = Assert.Throws<ClipUnusableException>(() =>
                ClipConditioner.Condition(new ArrayDecoder(quiet, Rate, 2), new ClipFitOptions(2.0, trimFrom, TrimSilence: true)));
            Assert.Equal(ClipSkipKind.Silent, e.Kind);
        }
    }
}
