namespace LtxTrainer.Core.Ingest;

/// <summary>The outcome of a safe extraction: files (flat, unique names) and what was ignored.</summary>
public sealed record ExtractedArchive(string Folder, IReadOnlyList<ExtractedFile> Files, IReadOnlyList<IgnoredEntry> Ignored);
