using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class SincResamplerTests
{
    [Theory]
    [InlineData(44100, 16000, 44100, 16000)]
    [InlineData(48000, 16000, 1000, 334)]
    [InlineData(8000, 16000, 999, 1998)]
    [InlineData(22050, 16000, 7, 6)]
    public void OutputLengthIsCeilOfScaledLength(int src, int dst, int n, int expected)
        => Assert.Equal(expected, SincResampler.OutputLength(n, src, dst));

    [Fact]
    public void StreamingInAnyChunkingEqualsOneShot()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 20000).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var whole = SincResampler.Resample(x, 44100, 16000);
        var r = new SincResampler(44100, 16000);
        var streamed = new List<float>();
        int pos = 0;
        foreach (var size in new[] { 1, 7, 300, 4096, 11, 99999 })
        {
            int n = Math.Min(size, x.Length - pos);
            r.Process(x.AsSpan(pos, n), streamed);
            pos += n;
        }
        r.Flush(streamed);
        Assert.Equal(whole.Length, streamed.Count);
        for (int i = 0; i < whole.Length; i++) Assert.Equal(whole[i], streamed[i]);
    }

    [Fact]
    public void PassesInBandToneAndRejectsAboveNyquist()
    {
        const int src = 48000, dst = 16000;
        float[] Tone(double hz) => Enumerable.Range(0, src).Select(i => (float)Math.Sin(2 * Math.PI * hz * i / src)).ToArray();
        double Rms(float[] y) => Math.Sqrt(y.Skip(1000).Take(y.Length - 2000).Average(v => (double)v * v));
        var pass = SincResampler.Resample(Tone(1000), src, dst);
        var stop = SincResampler.Resample(Tone(12000), src, dst);
        Assert.InRange(Rms(pass), 0.69, 0.72);  // 1/sqrt(2)
        Assert.True(Rms(stop) < 0.01, $"12 kHz leaked through at rms {Rms(stop)}");
    }
}
