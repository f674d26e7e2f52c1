using LtxTrainer.Core.Model;
using LtxTrainer.Core.Text;

namespace LtxTrainer.Core.Sampling;

/// <summary>What <see cref="LeadInGenerator.Open"/> loads: the audio models, and the text path for prompts.</summary>
public sealed record LeadInSessionOptions
{
    /// <summary>The audio models (checkpoint, device, dtype).</summary>
    public required AudioModelSetOptions Models { get; init; }

    /// <summary>The Gemma 3 folder (HF layout); null when every prompt is already in <see cref="CaptionCacheFolder"/>.</summary>
    public string? TextEncoderPath { get; init; }

    /// <summary>How Gemma runs (device, dtype, token length: 1024 for the real model).</summary>
    public TextEncoderOptions TextEncoder { get; init; } = new();

    /// <summary>Caption-embedding cache folder (shared with training); null keeps embeddings in memory only.</summary>
    public string? CaptionCacheFolder { get; init; }
}
