namespace LtxTrainer.Core.Training;

/// <summary>The output folder holds a finished run (or an unfinished one's checkpoints) that this run would replace.</summary>
public sealed class TrainingOutputExistsException(string message, string path) : IOException(message)
{
    /// <summary>The file or folder in the way.</summary>
    public string Path { get; } = path;
}
