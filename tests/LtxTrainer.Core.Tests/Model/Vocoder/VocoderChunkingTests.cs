using LtxTrainer.Core.Model.Vocoder;
using LtxTrainer.Core.Tests.Audio;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Model.Vocoder;

/// <summary>
/// Long inputs are vocoded in overlapping pieces. These tests check the overlap really covers the chain's
/// reach (a change to one mel frame moves no output sample farther away than that) and that the pieced
/// result is the one-pass result.
/// </summary>
public sealed class VocoderChunkingTests(ITestOutputHelper output) : IDisposable
{
    private const int Frames = 500;
    private readonly AudioGolden _golden = new();

    private static Tensor LogMel(int frames) => randn(1, 2, frames, 64, generator: new Generator(11)) * 2 - 5;

    [Fact]
    public void OneChangedFrameMovesOnlySamplesWithinTheOverlap()
    {
        using var source = _golden.OpenCheckpoint();
        using var vocoder = WaveformVocoder.Load(source);
        var bwe = vocoder.WithBwe!;
        bwe.ChunkFrames = 0;
        using var scope = NewDisposeScope();
        var mel = LogMel(300);
        const int changed = 150;
        var altered = mel.clone();
        using (no_grad()) altered[.., .., changed] += 1.0;
        var moved = (vocoder.Forward(altered) - vocoder.Forward(mel)).abs().amax([0, 1]).nonzero().flatten();
        long samplesPerFrame = vocoder.Generator.Config.UpsampleFactor * vocoder.Config.Bwe!.Ratio;
        long first = moved[0].item<long>() / samplesPerFrame, last = moved[-1].item<long>() / samplesPerFrame;
        output.WriteLine($"frame {changed} moved frames {first}..{last}; overlap {bwe.OverlapFrames}");
        Assert.InRange(first, changed - bwe.OverlapFrames, changed);
        Assert.InRange(last, changed, changed + bwe.OverlapFrames);
    }

    [Fact]
    public void PiecesGiveTheOnePassResult()
    {
        using var source = _golden.OpenCheckpoint();
        using var vocoder = WaveformVocoder.Load(source);
        var bwe = vocoder.WithBwe!;
        using var scope = NewDisposeScope();
        var mel = LogMel(Frames);
        bwe.ChunkFrames = 0;
        var whole = vocoder.Forward(mel);
        bwe.ChunkFrames = Frames / 2;
        Assert.True(Frames > bwe.ChunkFrames + 2 * bwe.OverlapFrames, "the input must be long enough to be split");
        var pieced = vocoder.Forward(mel);
        // Not bit-identical: float32 convolutions round differently with the pass length (~1e-6 here).
        // 1e-5 is the order of the reference's own float32-vs-float64 gap for the waveform (3.4e-6) and
        // ten times below the golden tolerance.
        AudioGolden.AssertWithin("pieced vs one pass", whole, pieced, 1e-5, 0, output);

        // Without its overlap a piece's edges differ, so the comparison above is not vacuous.
        var cut = vocoder.Forward(mel.narrow(2, 0, Frames / 2));
        var sameSpan = whole.narrow(2, 0, cut.shape[2]);
        Assert.True((cut - sameSpan).abs().max().item<float>() > 1e-4);
    }

    public void Dispose() => _golden.Dispose();
}
