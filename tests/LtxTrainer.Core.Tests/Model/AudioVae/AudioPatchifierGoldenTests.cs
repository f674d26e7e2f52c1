using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Tests.Audio;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;
using Xunit.Abstractions;

namespace LtxTrainer.Core.Tests.Model.AudioVae;

public sealed class AudioPatchifierGoldenTests(ITestOutputHelper output) : IDisposable
{
    private readonly AudioGolden _golden = new() { Report = output.WriteLine };

    [Fact]
    public void TokensAreChannelMajorAndUnpatchifyIsExact()
    {
        using var scope = torch.NewDisposeScope();
        var latent = _golden.Tensor("patch.latent");
        var tokens = AudioPatchifier.Patchify(latent);
        _golden.AssertClose("patchify", "patch.tokens", tokens);
        var back = AudioPatchifier.Unpatchify(tokens, latent.shape[1], latent.shape[3]);
        Assert.True(back.equal(latent).all().item<bool>());
    }

    [Fact]
    public void PositionsMatchGoldenWithAndWithoutShift()
    {
        using var scope = torch.NewDisposeScope();
        var latent = _golden.Tensor("patch.latent");
        long b = latent.shape[0], t = latent.shape[2];
        _golden.AssertClose("patchify", "patch.positions", new AudioPatchifier().Positions(b, t));
        var (atol, rtol) = _golden.Tolerance("patch.positions", "patchify");
        TensorAssert.Close(_golden.Tensor("patch.positions_shift"), new AudioPatchifier(shift: 3).Positions(b, t), atol, "patch.positions_shift", rtol, output.WriteLine);
    }

    [Fact]
    public void PositionsAgreeWithTheLatentTimingTable()
    {
        using var positions = new AudioPatchifier().Positions(1, 30);
        for (int i = 0; i < 30; i++)
        {
            var (start, end) = AudioLatentTiming.StepTimeSpan(i);
            Assert.Equal(start, positions[0, 0, i, 0].item<float>(), 6);
            Assert.Equal(end, positions[0, 0, i, 1].item<float>(), 6);
        }
    }

    public void Dispose() => _golden.Dispose();
}
