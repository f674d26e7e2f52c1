namespace LtxTrainer.Core.Training;

/// <summary>
/// Optimizer and step settings (ltx_trainer/config.py): torch AdamW defaults (β 0.9/0.999, eps 1e-8, weight decay
/// 0.01), global grad-norm clip 1.0, and whether blocks recompute their activations in the backward.
/// </summary>
public sealed record TrainingStepOptions(LearningRateSchedule Schedule, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8,
    double WeightDecay = 0.01, double MaxGradNorm = 1.0, bool RecomputeActivations = true);
