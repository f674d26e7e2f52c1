namespace LtxTrainer.Core.Ingest;

/// <summary>A progress report of a dataset build: stage, items done of total, and what is being worked on.</summary>
public sealed record IngestProgress(IngestStage Stage, long Done, long Total, string? Current = null, double? BytesPerSecond = null);
