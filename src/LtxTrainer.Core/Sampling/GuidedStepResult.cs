using static TorchSharp.torch;

namespace LtxTrainer.Core.Sampling;

/// <summary>What one guided step computed; <see cref="NextSample"/> is the new state's sample.</summary>
public sealed record GuidedStepResult(Tensor DenoisedCond, Tensor? DenoisedUncond, Tensor? DenoisedPerturbed, Tensor Guided, Tensor PostProcessed, Tensor NextSample);
