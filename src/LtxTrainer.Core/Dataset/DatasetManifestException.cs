namespace LtxTrainer.Core.Dataset;

/// <summary>A work folder's manifest is missing, unreadable, of another format version, or inconsistent with its files.</summary>
public sealed class DatasetManifestException : Exception
{
    public DatasetManifestException(string path, string message, Exception? inner = null) : base($"{path}: {message}", inner)
    {
        Path = path;
    }

    public string Path { get; }
}
