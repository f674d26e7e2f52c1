using LtxTrainer.Core.Model.Vocoder;
using LtxTrainer.Core.Tests.Audio;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Model.Vocoder;

/// <summary>The slice-sum filters equal the grouped convolutions the reference uses.</summary>
public sealed class DepthwiseFirTests
{
    [Theory]
    [InlineData(1, 3, 40)]
    [InlineData(2, 5, 41)]
    [InlineData(1, 1, 13)]
    public void DecimateEqualsGroupedStridedConv(int batch, int channels, int length)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(11);
        var x = randn(batch, channels, length, generator: g);
        var f = randn(1, 1, 12, generator: g);
        var expected = nn.functional.conv1d(x, f.expand(channels, -1, -1), stride: 2, groups: channels);
        var actual = DepthwiseFir.Decimate(x, f.data<float>().ToArray(), 2);
        AudioGolden.AssertWithin("decimate", expected, actual, 1e-5, 1e-5);
    }

    [Theory]
    [InlineData(1, 3, 30)]
    [InlineData(2, 4, 31)]
    [InlineData(1, 1, 11)]
    public void InterpolateEqualsCroppedGroupedTransposedConv(int batch, int channels, int length)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(12);
        var x = randn(batch, channels, length, generator: g);
        var f = randn(1, 1, 12, generator: g);
        const int crop = 15;
        var full = nn.functional.conv_transpose1d(x, f.expand(channels, -1, -1), stride: 2, groups: channels) * 2;
        long outLength = full.shape[2] - 2 * crop;
        var expected = full.narrow(2, crop, outLength);
        var actual = DepthwiseFir.Interpolate(x, f.data<float>().ToArray(), 2, crop, outLength);
        AudioGolden.AssertWithin("interpolate", expected, actual, 1e-5, 1e-5);
    }
}
