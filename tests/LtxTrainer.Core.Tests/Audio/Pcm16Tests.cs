using LtxTrainer.Core.Audio;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class Pcm16Tests
{
    [Theory]
    [InlineData(0f, 0)]
    [InlineData(1f, 32767)]
    [InlineData(1.7f, 32767)]
    [InlineData(-1f, -32767)]
    [InlineData(-3f, -32767)]
    [InlineData(0.5f, 16383)]    // 16383.5 truncates toward zero
    [InlineData(-0.5f, -16383)]
    public void ClipsScalesAndTruncatesTowardZero(float x, short expected) => Assert.Equal(expected, Pcm16.FromSample(x));

    [Fact]
    public void WaveformIsInterleavedFrameByFrame()
    {
        using var wave = torch.tensor(new float[] { 0.1f, 0.2f, 0.3f, -0.1f, -0.2f, -0.3f }, [2, 3]);
        var pcm = Pcm16.FromWaveform(wave);
        short S(float v) => Pcm16.FromSample(v);
        Assert.Equal(new[] { S(0.1f), S(-0.1f), S(0.2f), S(-0.2f), S(0.3f), S(-0.3f) }, pcm);
        Assert.Equal(pcm, Pcm16.FromChannels([[0.1f, 0.2f, 0.3f], [-0.1f, -0.2f, -0.3f]]));
        using var batch = wave.unsqueeze(0);
        Assert.Equal(pcm, Pcm16.FromWaveform(batch));
    }
}
