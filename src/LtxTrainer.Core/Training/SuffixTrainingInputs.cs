using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// One batch after noising and suffix conditioning (ltx_trainer/training_strategies/flexible.py): <see
/// cref="NoisyLatent"/> [B, T, C],
/// <see cref="Targets"/> = ε − x0 [B, T, C], <see cref="Timesteps"/> [B, T] (σ, 0 on clean suffix tokens),
/// <see cref="LossMask"/> [B, T] (1 = in the loss), <see cref="Sigma"/> [B].
/// </summary>
public sealed record SuffixTrainingInputs(Tensor NoisyLatent, Tensor Targets, Tensor Timesteps, Tensor LossMask, Tensor Sigma);
