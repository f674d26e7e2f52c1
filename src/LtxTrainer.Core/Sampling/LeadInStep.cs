using static TorchSharp.torch;

namespace LtxTrainer.Core.Sampling;

/// <summary>
/// The sampler's state after one denoising step, handed to an observer of
/// <see cref="LeadInGenerator.Generate"/>. The tensors are valid only during the callback (clone to keep them).
/// </summary>
/// <param name="Index">0-based step index.</param>
/// <param name="Sigma">σ the step started from.</param>
/// <param name="NextSigma">σ the step moved the sample to.</param>
/// <param name="Sample">The new sample [1, T, C] (model dtype).</param>
/// <param name="CleanLatent">The clean suffix state [1, T, C] (zeros on lead-in tokens).</param>
/// <param name="SuffixStart">Index of the first suffix token.</param>
public sealed record LeadInStep(int Index, float Sigma, float NextSigma, Tensor Sample, Tensor CleanLatent, long SuffixStart);
