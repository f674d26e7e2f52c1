namespace LtxTrainer.Core.Training;

/// <summary>A checkpoint could not be written or read; <see cref="Target"/> names its folder. Earlier checkpoints are intact.</summary>
public sealed class TrainingCheckpointException(string message, string target, Exception? inner = null) : IOException(message, inner)
{
    public string Target { get; } = target;
}
