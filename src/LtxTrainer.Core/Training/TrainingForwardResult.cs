using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>The forward/backward half of a step; the tensors belong to the caller.</summary>
public sealed record TrainingForwardResult(SuffixTrainingInputs Inputs, Tensor Prediction, Tensor LossPerSample, double Loss) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in new[] { Inputs.NoisyLatent, Inputs.Targets, Inputs.Timesteps, Inputs.LossMask, Inputs.Sigma, Prediction, LossPerSample })
            t.Dispose();
    }
}
