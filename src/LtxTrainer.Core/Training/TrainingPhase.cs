namespace LtxTrainer.Core.Training;

/// <summary>What a run is doing when it reports progress.</summary>
public enum TrainingPhase
{
    /// <summary>Checking inputs and the output folder.</summary>
    Preparing,

    /// <summary>Encoding captions with Gemma (only those not cached yet).</summary>
    EncodingCaptions,

    /// <summary>Encoding clips with the audio VAE (only those not cached yet).</summary>
    EncodingAudio,

    /// <summary>Loading the transformer.</summary>
    LoadingModel,

    Training,

    /// <summary>Writing a checkpoint.</summary>
    Checkpointing,

    /// <summary>Generating validation previews.</summary>
    Previewing,

    /// <summary>Writing the LoRA, config, plots.</summary>
    WritingOutputs,

    Done,
}
