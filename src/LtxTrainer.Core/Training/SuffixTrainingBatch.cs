using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// One training batch with its random draws made: clean patchified latents <see cref="X0"/> [B, T, C],
/// text <see cref="Context"/> [B, S, D] (connector output) with optional <see cref="ContextMask"/> [B, S],
/// token <see cref="Positions"/> [B, 1, T, 2], <see cref="Noise"/> ε [B, T, C], <see cref="Sigma"/> [B],
/// and which samples get the clean suffix of <see cref="SuffixTokens"/> tokens.
/// </summary>
public sealed record SuffixTrainingBatch(Tensor X0, Tensor Context, Tensor? ContextMask, Tensor Positions, Tensor Noise, Tensor Sigma,
    long SuffixTokens, IReadOnlyList<bool> Conditioned);
