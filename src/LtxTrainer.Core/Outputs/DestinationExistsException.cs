namespace LtxTrainer.Core.Outputs;

/// <summary>A file to be written already exists and replacing it was not asked for (-Force).</summary>
public sealed class DestinationExistsException : IOException
{
    public DestinationExistsException(string path) : base($"{path} exists; use -Force to replace it.")
    {
        Path = path;
    }

    public string Path { get; }
}
