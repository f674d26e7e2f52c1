using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Tests.Golden;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class StereoDownmixTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static double LogMelTolerance(GoldenSet golden) => golden.Tolerance("fe16.log_mel", "frontend_16k").Atol;

    [Fact]
    public void ReferenceLogMelReproducesTheFrontEndGolden()
    {
        using var golden = new GoldenSet("audio");
        using var mel = new ReferenceLogMel(golden);
        using var waveform = golden.Tensor("fe16.waveform");
        using var actual = mel.Compute(waveform[0]);
        using var expected = golden.Tensor("fe16.log_mel");
        output.WriteLine($"fe16.log_mel max abs diff {TensorAssert.MaxAbs(expected, actual):E3}");
        TensorAssert.Close(expected, actual, LogMelTolerance(golden), "fe16.log_mel (test oracle)");
    }

    [Theory]
    [InlineData("trainer_mono")]
    [InlineData("trainer_51")]
    public void DownmixMatchesTheTrainerGolden(string caseName)
    {
        using var golden = new GoldenSet("audio");
        using var mel = new ReferenceLogMel(golden);
        using var waveform = golden.Tensor(caseName + ".waveform"); // [channels, samples]
        int channels = (int)waveform.shape[0], frames = (int)waveform.shape[1];
        var interleaved = waveform.transpose(0, 1).contiguous().data<float>().ToArray();
        var left = new float[frames];
        var right = new float[frames];

        StereoDownmix.Append(interleaved, channels, frames, left, right);

        using var stereo = stack(new[] { tensor(left), tensor(right) });
        using var actual = mel.Compute(stereo);
        using var expected = golden.Tensor(caseName + ".encoder_input_mel");
        output.WriteLine($"{caseName}.encoder_input_mel max abs diff {TensorAssert.MaxAbs(expected, actual):E3}");
        TensorAssert.Close(expected, actual, LogMelTolerance(golden), caseName + ".encoder_input_mel");
    }

    [Fact]
    public void SevenPointOneKeepsAFullScaleSignalFullScale()
    {
        var frame = Enumerable.Repeat(1f, 8).ToArray();
        var left = new float[1];
        var right = new float[1];
        StereoDownmix.Append(frame, 8, 1, left, right);
        Assert.Equal(1f, left[0], 3);
        Assert.Equal(1f, right[0], 3);
    }

    [Fact]
    public void OtherLayoutsAverageIntoBothSides()
    {
        var frame = new[] { 0.3f, 0.6f, 0.9f };
        var left = new float[1];
        var right = new float[1];
        StereoDownmix.Append(frame, 3, 1, left, right);
        Assert.Equal(0.6f, left[0], 5);
        Assert.Equal(0.6f, right[0], 5);
    }
}
