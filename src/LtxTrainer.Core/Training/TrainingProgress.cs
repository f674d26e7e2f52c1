namespace LtxTrainer.Core.Training;

/// <summary>
/// A progress report of a run. Step figures are meaningful in <see cref="TrainingPhase.Training"/>; other phases
/// carry a <see cref="Message"/> and, where known, a <see cref="Fraction"/> of that phase done.
/// </summary>
/// <param name="Phase">What the run is doing.</param>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Loss">Loss of the last step (NaN before the first).</param>
/// <param name="SmoothedLoss">Exponential moving average of the loss (NaN before the first step).</param>
/// <param name="LearningRate">Rate the next step uses.</param>
/// <param name="StepsPerSecond">Training speed in this session (NaN before the first step).</param>
/// <param name="Eta">Estimated time to the last step, when known.</param>
/// <param name="Message">What happens, in words.</param>
/// <param name="Fraction">Share of the current phase done, 0–1, or null when unknown.</param>
public sealed record TrainingProgress(TrainingPhase Phase, int Step, int TotalSteps, double Loss, double SmoothedLoss, double LearningRate,
    double StepsPerSecond, TimeSpan? Eta, string Message, double? Fraction = null);
