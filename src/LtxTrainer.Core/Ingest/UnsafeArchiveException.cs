namespace LtxTrainer.Core.Ingest;

/// <summary>
/// The archive was refused before anything from it was processed: an entry that would land outside the
/// work folder (absolute path, drive letter, <c>..</c>), a symbolic link, a zip bomb, too many entries,
/// or a file that is not a zip at all.
/// </summary>
public sealed class UnsafeArchiveException : Exception
{
    public UnsafeArchiveException(string archive, string? entry, string message, Exception? inner = null)
        : base(entry is null ? $"{Path.GetFileName(archive)}: {message}" : $"{Path.GetFileName(archive)}: entry '{entry}': {message}", inner)
    {
        Archive = archive;
        Entry = entry;
    }

    public string Archive { get; }

    /// <summary>The offending entry name as stored in the archive, when one entry is to blame.</summary>
    public string? Entry { get; }
}
