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
}
