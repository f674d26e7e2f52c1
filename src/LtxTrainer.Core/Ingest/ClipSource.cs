namespace LtxTrainer.Core.Ingest;

/// <summary>One audio file from the archive and its caption file, if any.</summary>
/// <param name="Name">The clip's name: the audio file name without extension (unique in the archive).</param>
/// <param name="Audio">The extracted audio file.</param>
/// <param name="Caption">The extracted .txt of the same base name, or null.</param>
public sealed record ClipSource(string Name, ExtractedFile Audio, ExtractedFile? Caption);
