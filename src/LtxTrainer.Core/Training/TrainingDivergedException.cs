namespace LtxTrainer.Core.Training;

/// <summary>
/// A step produced a NaN or infinite loss or gradient norm: the run stops there. The newest checkpoint written
/// before it (<see cref="LastCheckpoint"/>, or null when none was) is kept.
/// </summary>
public sealed class TrainingDivergedException(int step, double loss, double gradNorm, string? lastCheckpoint)
    : Exception($"Training diverged at step {step}: loss {loss}, gradient norm {gradNorm}. " +
                (lastCheckpoint is null ? "No checkpoint had been written yet." : $"The last good checkpoint is kept: {lastCheckpoint}."))
{
    public int Step { get; } = step;
    public double Loss { get; } = loss;
    public double GradNorm { get; } = gradNorm;
    public string? LastCheckpoint { get; } = lastCheckpoint;
}
