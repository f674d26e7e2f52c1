namespace LtxTrainer.Core.Checkpoints;

/// <summary>A checkpoint file or folder is malformed, incomplete or does not match the expected model.</summary>
public sealed class CheckpointFormatException : Exception
{
    public CheckpointFormatException(string message, string? file = null, string? key = null, Exception? inner = null)
        : base(message, inner)
    {
        File = file;
        Key = key;
    }

    /// <summary>The file the problem was found in, when known.</summary>
    public string? File { get; }

    /// <summary>The tensor key concerned, when the problem is about one tensor.</summary>
    public string? Key { get; }
}
