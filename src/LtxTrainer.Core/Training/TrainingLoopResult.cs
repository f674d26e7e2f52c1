namespace LtxTrainer.Core.Training;

/// <summary>How a call of <see cref="TrainingLoop.Run"/> ended.</summary>
/// <param name="StepsDone">Optimizer steps done in total (earlier sessions of a resumed run included).</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Completed">All steps are done (false: stopped early by cancellation, with a checkpoint written).</param>
/// <param name="FinalLoss">Loss of the last step (NaN when none ran).</param>
/// <param name="SmoothedLoss">Moving average of the loss at the last step.</param>
/// <param name="StepsPerSecond">Steps per second of this session's whole loop (checkpoints and previews included).</param>
/// <param name="Elapsed">Wall time of this session's loop.</param>
/// <param name="LastCheckpoint">Folder of the newest checkpoint, or null.</param>
/// <param name="ResumedFromStep">The step the session started from (0 for a new run).</param>
/// <param name="StepSeconds">
/// Time of this session spent inside the training step itself (forward, backward, clip, update); the rest of
/// <see cref="Elapsed"/> is the loop's own work (data, draws, metrics, progress, checkpoints, previews).
/// </param>
/// <param name="CheckpointSeconds">Time of this session spent writing checkpoints (part of the loop's own work).</param>
public sealed record TrainingLoopResult(int StepsDone, int TotalSteps, bool Completed, double FinalLoss, double SmoothedLoss, double StepsPerSecond,
    TimeSpan Elapsed, string? LastCheckpoint, int ResumedFromStep, double StepSeconds = 0, double CheckpointSeconds = 0);
