using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>ltx-trainer's <c>uniform</c> sampler: σ ~ U[min, max).</summary>
public sealed class UniformTimestepSampler(double min = 0.0, double max = 1.0) : ITimestepSampler
{
    public Tensor Sample(int batch, long seqLength, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var u = rand(new long[] { batch }, generator: generator);
        return (u * (max - min) + min).MoveToOuterDisposeScope();
    }
}
