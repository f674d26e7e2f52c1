namespace LtxTrainer.Core.Ingest;

/// <summary>A file taken from the archive: its entry name there and where it now lies.</summary>
/// <param name="EntryName">Name inside the archive (with its folders).</param>
/// <param name="Path">Where the file was written.</param>
/// <param name="Damage">Why its data could not be inflated (CRC or deflate error), else null.</param>
public sealed record ExtractedFile(string EntryName, string Path, string? Damage = null);
