namespace LtxTrainer.Core.Ingest;

/// <summary>
/// Two or more archive entries share a file name (in different folders, or a clip stem shared by two
/// audio formats). The dataset is flat and captions pair by name, so this is refused before any
/// processing; <see cref="Duplicates"/> lists every clash.
/// </summary>
public sealed class DuplicateFileNamesException : Exception
{
    public DuplicateFileNamesException(string archive, IReadOnlyDictionary<string, IReadOnlyList<string>> duplicates)
        : base($"{Path.GetFileName(archive)}: file names must be unique across the archive; duplicates: " +
               string.Join("; ", duplicates.Select(d => $"{d.Key} ({string.Join(", ", d.Value)})")))
    {
        Archive = archive;
        Duplicates = duplicates;
    }

    public string Archive { get; }

    /// <summary>Each clashing name with the entries that carry it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Duplicates { get; }
}
