namespace LtxTrainer.Core.Sampling;

/// <summary>What a lead-in generation is doing, for progress reports.</summary>
public enum LeadInPhase
{
    /// <summary>Prompts not seen before go through Gemma, the feature extractor and the connector.</summary>
    EncodingPrompts,

    /// <summary>The audio models are loading.</summary>
    LoadingModels,

    /// <summary>The closing clip is encoded on its own by the audio VAE.</summary>
    EncodingSuffix,

    /// <summary>LoRA files are read and attached or fused.</summary>
    ApplyingLoras,

    /// <summary>One guided denoising step.</summary>
    Denoising,

    /// <summary>The latent is decoded to a mel spectrogram and vocoded.</summary>
    Decoding,

    /// <summary>The generation finished.</summary>
    Done,
}
