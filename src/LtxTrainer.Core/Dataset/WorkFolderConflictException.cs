namespace LtxTrainer.Core.Dataset;

/// <summary>
/// The work folder holds a file the build would have to replace but did not write (a user's own
/// <c>dataset.json</c> or a <c>clips/</c> file no earlier dataset lists). Nothing was changed: the build
/// never deletes or overwrites a file it did not create.
/// </summary>
public sealed class WorkFolderConflictException : Exception
{
    public WorkFolderConflictException(string path, string message) : base($"{path}: {message}")
    {
        Path = path;
    }

    /// <summary>The file in the way.</summary>
    public string Path { get; }
}
