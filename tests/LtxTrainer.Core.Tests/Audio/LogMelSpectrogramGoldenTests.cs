using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;
using Xunit.Abstractions;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class LogMelSpectrogramGoldenTests(ITestOutputHelper output) : IDisposable
{
    private readonly AudioGolden _golden = new() { Report = output.WriteLine };
    private readonly LogMelSpectrogram _frontEnd = new();

    [Fact]
    public void FilterbankAndWindowMatchTorchaudio()
    {
        using var fb = _golden.Tensor("fe.mel_filterbank");
        using var window = _golden.Tensor("fe.window");
        TensorAssert.Close(fb, _frontEnd.Filterbank, 1e-7, "fe.mel_filterbank", 1e-5, output.WriteLine);
        TensorAssert.Close(window, _frontEnd.Window, 1e-7, "fe.window", 0, output.WriteLine);
    }

    [Fact]
    public void LogMelOf16kHzStereoMatchesGolden()
    {
        using var scope = torch.NewDisposeScope();
        var wave = _golden.Tensor("fe16.waveform");
        _golden.AssertClose("frontend_16k", "fe16.mel_linear", _frontEnd.MelLinear(wave));
        _golden.AssertClose("frontend_16k", "fe16.log_mel", _frontEnd.Forward(wave));
    }

    [Fact]
    public void ResampledSourceMatchesGolden()
    {
        using var scope = torch.NewDisposeScope();
        var source = _golden.Tensor("fers.waveform");
        int rate = _golden.Case("frontend_resample").GetProperty("source_sample_rate").GetInt32();
        var channels = Channels(source);
        var resampled = LogMelSpectrogram.ToWaveform(channels, rate, _frontEnd.SampleRate);
        _golden.AssertClose("frontend_resample", "fers.resampled_16k", resampled);
        _golden.AssertClose("frontend_resample", "fers.log_mel", _frontEnd.Forward(channels, rate));
    }

    [Fact]
    public void TwoDimensionalArrayInputEqualsChannelArrays()
    {
        using var scope = torch.NewDisposeScope();
        var wave = _golden.Tensor("fe16.waveform");
        var channels = Channels(wave);
        var grid = new float[channels.Length, channels[0].Length];
        for (int c = 0; c < channels.Length; c++)
            for (int i = 0; i < channels[c].Length; i++) grid[c, i] = channels[c][i];
        var expected = _frontEnd.Forward(wave);
        Assert.True(expected.equal(_frontEnd.Forward(grid, _frontEnd.SampleRate)).all().item<bool>());
    }

    [Fact]
    public void FrameCountIsOnePlusSamplesOverHop()
    {
        using var wave = torch.zeros(1, 2, 20800);
        using var mel = _frontEnd.Forward(wave);
        Assert.Equal(new long[] { 1, 2, 131, 64 }, mel.shape);
        // Digital silence hits the clamp: log(1e-5).
        Assert.Equal(Math.Log(1e-5), mel.max().item<float>(), 5);
    }

    [Fact]
    public void TooShortInputIsRejected()
    {
        using var wave = torch.zeros(1, 2, 512);
        Assert.Throws<ArgumentException>(() => _frontEnd.Forward(wave));
    }

    internal static float[][] Channels(torch.Tensor batchOfOne) =>
        Enumerable.Range(0, (int)batchOfOne.shape[1]).Select(c => batchOfOne[0, c].data<float>().ToArray()).ToArray();

    public void Dispose()
    {
        _frontEnd.Dispose();
        _golden.Dispose();
    }
}
