namespace LtxTrainer.Core.Ingest;

/// <summary>An archive entry that was deliberately not used (OS litter, hidden, not audio or caption).</summary>
public sealed record IgnoredEntry(string EntryName, string Reason);
