namespace LtxTrainer.Core.Training;

/// <summary>
/// Optimizer and step settings (ltx_trainer/config.py): torch AdamW defaults (β 0.9/0.999, eps 1e-8, weight decay
/// 0.01), global grad-norm clip 1.0, whether blocks recompute their activations in the backward, the
/// seed of the step's own LoRA-dropout generator, and the memory the step may spend keeping the cross-attentions'
/// base key/value projections per caption (<see cref="CrossAttentionKvCache"/>; 0 = compute them every step; only
/// models without prompt AdaLN can keep them).
/// </summary>
public sealed record TrainingStepOptions(LearningRateSchedule Schedule, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8,
    double WeightDecay = 0.01, double MaxGradNorm = 1.0, bool RecomputeActivations = true, long DropoutSeed = 0,
    long CrossAttentionKvCacheBytes = TrainingStepOptions.DefaultCrossAttentionKvCacheBytes)
{
    /// <summary>4 GiB: a few captions of a real-size model (48 blocks × 2 × 1024 tokens × 2048 × bf16 = 384 MiB each).</summary>
    public const long DefaultCrossAttentionKvCacheBytes = 4L << 30;
}
