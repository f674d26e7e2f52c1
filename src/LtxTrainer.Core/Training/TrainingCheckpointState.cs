namespace LtxTrainer.Core.Training;

/// <summary>
/// The small part of a checkpoint (its <c>state.json</c>): where the run stands and the random states that make
/// the continuation identical to an uninterrupted run. The LoRA factors and the optimizer moments sit beside it.
/// </summary>
/// <param name="FormatVersion">Layout version of the checkpoint folder.</param>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="PlanFingerprint">What the numbers depend on (<see cref="TrainingPlan.Fingerprint"/>); a resume must match it.</param>
/// <param name="Epoch">Epoch of the next step (batch 1: step / clips).</param>
/// <param name="Position">Position of the next step inside that epoch's order.</param>
/// <param name="EpochOrder">The clip order of that epoch (<see cref="DataOrder.ForEpoch"/>), as a check and for inspection.</param>
/// <param name="GeneratorState">State of the generator of the training draws (σ, ε, suffix flag), base64.</param>
/// <param name="DropoutRngState">the training step's LoRA-dropout generator state, base64.</param>
/// <param name="LastLoss">Loss of the last step.</param>
/// <param name="SmoothedLoss">The reported moving average at that step.</param>
/// <param name="LearningRate">Rate of the next step (from the schedule; for inspection).</param>
public sealed record TrainingCheckpointState(
    int FormatVersion,
    int Step,
    int TotalSteps,
    string PlanFingerprint,
    int Epoch,
    int Position,
    IReadOnlyList<int> EpochOrder,
    string GeneratorState,
    string DropoutRngState,
    double LastLoss,
    double SmoothedLoss,
    double LearningRate)
{
    public const int CurrentFormatVersion = 1;
}
