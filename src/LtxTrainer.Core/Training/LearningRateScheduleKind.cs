namespace LtxTrainer.Core.Training;

/// <summary>ltx-trainer's scheduler types (ltx_trainer/config.py).</summary>
public enum LearningRateScheduleKind
{
    /// <summary>LinearLR from factor 1.0 to 0.1 over all steps (the default).</summary>
    Linear,
    Constant,

    /// <summary>CosineAnnealingLR to 0 over all steps.</summary>
    Cosine,

    /// <summary>CosineAnnealingWarmRestarts with T_0 = steps/4 and eta_min 5e-5.</summary>
    CosineWithRestarts,

    /// <summary>PolynomialLR with power 1 over all steps.</summary>
    Polynomial,

    /// <summary>StepLR: ×0.1 every steps/2.</summary>
    Step,
}
