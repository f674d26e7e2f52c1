namespace LtxTrainer.Core.Ingest;

/// <summary>
/// The file given as the archive is not a zip, or its central directory is damaged. This is bad data,
/// not an attack: hostile archives are <see cref="UnsafeArchiveException"/>.
/// </summary>
public sealed class NotAZipArchiveException : Exception
{
    public NotAZipArchiveException(string archive, string message, Exception? inner = null)
        : base($"{Path.GetFileName(archive)}: {message}", inner)
    {
        Archive = archive;
    }

    public string Archive { get; }
}
