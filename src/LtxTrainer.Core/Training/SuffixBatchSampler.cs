using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// Makes a training batch's random draws in ltx-trainer's order (flexible strategy): σ from the timestep
/// sampler (randn, rand, rand), then ε = randn_like(x0), then one U[0,1) per sample deciding whether the
/// suffix condition applies (u &lt; probability). All from one generator, so a seed replays a run.
/// </summary>
public sealed class SuffixBatchSampler(ITimestepSampler timesteps, long suffixTokens, double probability = 1.0)
{
    public SuffixTrainingBatch Draw(Tensor x0, Tensor context, Tensor? contextMask, Tensor positions, Generator generator)
    {
        int b = (int)x0.shape[0];
        var sigma = timesteps.Sample(b, x0.shape[1], generator).to(x0.device);
        var noise = randn(x0.shape, dtype: x0.dtype, generator: generator).to(x0.device);
        using var u = rand(new long[] { b }, generator: generator);
        var draws = u.data<float>().ToArray();
        var conditioned = draws.Select(v => v < probability).ToArray();
        return new SuffixTrainingBatch(x0, context, contextMask, positions, noise, sigma, suffixTokens, conditioned);
    }
}
