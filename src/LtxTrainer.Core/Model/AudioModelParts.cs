namespace LtxTrainer.Core.Model;

/// <summary>The parts of an <see cref="AudioModelSet"/>; a set loads only the parts it is asked for.</summary>
[Flags]
public enum AudioModelParts
{
    None = 0,

    /// <summary>The audio-only diffusion transformer (the part LoRAs adapt).</summary>
    Transformer = 1,

    /// <summary>The audio text connector (feature-extractor output → transformer context).</summary>
    Connector = 2,

    /// <summary>The audio VAE encoder with its log-mel front-end (waveform → latent tokens).</summary>
    VaeEncoder = 4,

    /// <summary>The audio VAE decoder (latent tokens → log-mel).</summary>
    VaeDecoder = 8,

    /// <summary>The vocoder (log-mel → waveform at the output rate).</summary>
    Vocoder = 16,

    /// <summary>Everything a lead-in preview needs.</summary>
    All = Transformer | Connector | VaeEncoder | VaeDecoder | Vocoder,
}
