using LtxTrainer.Core.Training;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Training;

public sealed class SuffixBatchSamplerTests
{
    [Fact]
    public void Draws_follow_the_trainer_order_and_replay_from_a_seed()
    {
        using var scope = NewDisposeScope();
        var x0 = zeros(3, 10, 16);
        var sampler = new SuffixBatchSampler(new ShiftedLogitNormalSampler(), suffixTokens: 4, probability: 0.5);
        var a = sampler.Draw(x0, zeros(3, 8, 32), null, zeros(3, 1, 10, 2), new Generator(11));
        var b = sampler.Draw(x0, zeros(3, 8, 32), null, zeros(3, 1, 10, 2), new Generator(11));
        Assert.True(a.Sigma.equal(b.Sigma).all().item<bool>());
        Assert.True(a.Noise.equal(b.Noise).all().item<bool>());
        Assert.Equal(a.Conditioned, b.Conditioned);

        var g = new Generator(11);
        var sigma = new ShiftedLogitNormalSampler().Sample(3, 10, g);
        var noise = randn(new long[] { 3, 10, 16 }, generator: g);
        var u = rand(new long[] { 3 }, generator: g).data<float>().ToArray();
        Assert.True(sigma.equal(a.Sigma).all().item<bool>());
        Assert.True(noise.equal(a.Noise).all().item<bool>());
        Assert.Equal(u.Select(v => v < 0.5).ToArray(), a.Conditioned);
    }

    [Fact]
    public void Suffix_tokens_are_clean_untimed_and_out_of_the_loss()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(4);
        var x0 = randn(new long[] { 2, 6, 4 }, generator: g);
        var noise = randn(new long[] { 2, 6, 4 }, generator: g);
        var r = SuffixConditioning.Apply(x0, noise, tensor(new[] { 0.5f, 0.9f }), 2, [true, false]);
        Assert.Equal(0f, (r.NoisyLatent[0].narrow(0, 4, 2) - x0[0].narrow(0, 4, 2)).abs().max().item<float>());
        Assert.Equal(new[] { 0.5f, 0.5f, 0.5f, 0.5f, 0f, 0f }, r.Timesteps[0].data<float>().ToArray());
        Assert.Equal(new[] { 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f }, r.Timesteps[1].data<float>().ToArray());
        Assert.Equal(new[] { true, true, true, true, false, false }, r.LossMask[0].data<bool>().ToArray());
        Assert.All(r.LossMask[1].data<bool>().ToArray(), Assert.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => SuffixConditioning.Apply(x0, noise, tensor(new[] { 0.5f, 0.9f }), 6, [true, true]));
    }
}
