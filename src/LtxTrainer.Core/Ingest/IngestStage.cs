namespace LtxTrainer.Core.Ingest;

/// <summary>The step a dataset build is in, for progress reports.</summary>
public enum IngestStage
{
    Downloading,
    Extracting,
    Decoding,
    Writing,
}
