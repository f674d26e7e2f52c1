using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class StereoWindowReaderTests
{
    private static float[] Ramp(int frames) => Enumerable.Range(0, frames).SelectMany(i => new[] { (float)i, -(float)i }).ToArray();

    [Fact]
    public void EndKeepsTheLastFramesThroughTheRingBuffer()
    {
        var decoder = new ArrayDecoder(Ramp(100_000), 1000, 2);
        var window = StereoWindowReader.Read(decoder, 30_001, TrimFrom.End);
        Assert.Equal(100_000, window.TotalFrames);
        Assert.Equal(30_001, window.Left.Length);
        Assert.Equal(100_000 - 30_001, window.Left[0]);
        Assert.Equal(99_999, window.Left[^1]);
        Assert.Equal(-99_999, window.Right[^1]);
        Assert.Equal(Enumerable.Range(100_000 - 30_001, 30_001).Select(i => (float)i), window.Left);
    }

    [Fact]
    public void StartStopsDecodingOnceTheBucketIsFull()
    {
        var decoder = new ArrayDecoder(Ramp(100_000), 1000, 2);
        var window = StereoWindowReader.Read(decoder, 5000, TrimFrom.Start);
        Assert.Equal(2 * 5000, decoder.SamplesRead);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (float)i), window.Left);
    }

    [Fact]
    public void ShortFilesKeepEverythingAndReportTheirLength()
    {
        var window = StereoWindowReader.Read(new ArrayDecoder(Ramp(1234), 1000, 2), 5000, TrimFrom.End);
        Assert.Equal(1234, window.TotalFrames);
        Assert.Equal(1234, window.Left.Length);
        Assert.Equal(1.234, window.SourceSeconds, 9);
    }
}
