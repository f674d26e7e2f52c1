using static TorchSharp.torch;

namespace LtxTrainer.Core.Sampling;

/// <summary>
/// The sampler's state for one audio sample (B = 1): current <see cref="Sample"/> [1, T, C], the
/// <see cref="CleanLatent"/> holding the clean suffix tokens, <see cref="DenoiseMask"/> [1, T, 1]
/// (1 = generate, 0 = keep clean) and the token <see cref="Positions"/> [1, 1, T, 2].
/// </summary>
public sealed record AudioDenoiseState(Tensor Sample, Tensor CleanLatent, Tensor DenoiseMask, Tensor Positions);
