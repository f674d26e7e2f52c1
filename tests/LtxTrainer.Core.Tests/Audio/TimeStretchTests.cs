using LtxTrainer.Core.Audio;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class TimeStretchTests
{
    // Frequency from zero crossings over the middle of the signal (ends are affected by the window edges).
    private static double Frequency(float[] x, int rate)
    {
        int from = x.Length / 5, to = x.Length * 4 / 5, crossings = 0;
        for (int i = from + 1; i < to; i++) if (x[i - 1] < 0 && x[i] >= 0) crossings++;
        return crossings * (double)rate / (to - from);
    }

    [Fact]
    public void PlainStretchLowersThePitchByTheRatio()
    {
        var x = WavBytes.Sine(1000, 0.9, 16000);
        var y = TimeStretch.ToLength(x, 16000, preservePitch: false, 16000);
        Assert.Equal(16000, y.Length);
        Assert.Equal(1000 * 0.9, Frequency(y, 16000), 0);
    }

    [Fact]
    public void WsolaKeepsThePitch()
    {
        var x = WavBytes.Sine(1000, 0.9, 16000);
        var y = TimeStretch.ToLength(x, 16000, preservePitch: true, 16000);
        Assert.Equal(16000, y.Length);
        Assert.InRange(Frequency(y, 16000), 980, 1020);
    }

    [Fact]
    public void StereoWsolaSplicesBothChannelsAtTheSamePoints()
    {
        // Different content per channel: a search per channel would pick different splice points. With
        // shared ones the stretch is linear across channels: stretch(L) + stretch(R) = stretch(L + R).
        var rng = new Random(3);
        var left = WavBytes.Sine(440, 0.9, 16000, 0.4f).Select(v => v + 0.05f * (float)(rng.NextDouble() - 0.5)).ToArray();
        var right = WavBytes.Sine(659, 0.9, 16000, 0.4f);
        var (l, r) = TimeStretch.ToLength(left, right, 16000, preservePitch: true, 16000);
        var sum = TimeStretch.ToLength(left.Zip(right, (a, b) => a + b).ToArray(), 16000, preservePitch: true, 16000);
        Assert.Equal(16000, l.Length);
        Assert.Equal(16000, r.Length);
        double worst = 0;
        for (int i = 0; i < sum.Length; i++) worst = Math.Max(worst, Math.Abs(l[i] + r[i] - sum[i]));
        Assert.True(worst < 1e-5, $"max |stretch(L)+stretch(R)-stretch(L+R)| = {worst:E2}");
        Assert.InRange(Frequency(l, 16000), 430, 450);
        Assert.InRange(Frequency(r, 16000), 645, 673);
    }

    [Fact]
    public void WsolaKeepsTheClosingOfTheClip()
    {
        // The suffix is the closing of the clip: the stretched clip must end on the input's last samples
        // (no zero padding), as a rising ramp makes visible.
        var x = Enumerable.Range(0, 14400).Select(i => (float)Math.Sin(2 * Math.PI * 500 * i / 16000) * (i / 14400f)).ToArray();
        var y = TimeStretch.ToLength(x, 16000, preservePitch: true, 16000);
        double Rms(float[] v, int from, int count) => Math.Sqrt(v.Skip(from).Take(count).Sum(s => (double)s * s) / count);
        Assert.InRange(Rms(y, 16000 - 160, 160), 0.9 * Rms(x, 14400 - 160, 160), 1.1 * Rms(x, 14400 - 160, 160));
    }
}
