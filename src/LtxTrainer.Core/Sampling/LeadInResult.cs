namespace LtxTrainer.Core.Sampling;

/// <summary>
/// A generated lead-in followed by the closing clip as the model decoded it. The waveform starts with the
/// lead-in; <see cref="SeamSeconds"/> is where the clean suffix tokens begin in it.
/// </summary>
public sealed record LeadInResult
{
    /// <summary>The waveform, one array per channel (stereo), in [-1, 1], at <see cref="SampleRate"/>.</summary>
    public required float[][] Channels { get; init; }

    /// <summary>The vocoder's output rate (48 000 for LTX-2.3).</summary>
    public required int SampleRate { get; init; }

    /// <summary>The final latent tokens [<see cref="TotalTokens"/>, <see cref="TokenWidth"/>], row-major, float32.</summary>
    public required float[] Latent { get; init; }

    public required int TokenWidth { get; init; }

    /// <summary>Latent tokens of the whole result.</summary>
    public required long TotalTokens { get; init; }

    /// <summary>Clean suffix tokens (the closing clip encoded on its own).</summary>
    public required long SuffixTokens { get; init; }

    /// <summary>Generated tokens before the suffix.</summary>
    public long LeadInTokens => TotalTokens - SuffixTokens;

    /// <summary>Seconds of the waveform.</summary>
    public double TotalSeconds => Channels.Length == 0 ? 0 : (double)Channels[0].Length / SampleRate;

    /// <summary>Where the suffix starts in the waveform: the first suffix token's first mel frame (causal latent timing).</summary>
    public required double SeamSeconds { get; init; }

    /// <summary>Seconds of generated lead-in (= <see cref="SeamSeconds"/>).</summary>
    public double LeadInSeconds => SeamSeconds;

    /// <summary>Seconds of the decoded suffix.</summary>
    public double SuffixSeconds => TotalSeconds - SeamSeconds;

    /// <summary>The request that made this result.</summary>
    public required LeadInRequest Request { get; init; }

    /// <summary>The σ schedule that was run (steps + 1 values, from 1 to 0).</summary>
    public required IReadOnlyList<float> Sigmas { get; init; }

    /// <summary>Things the caller should know (e.g. a LoRA that only partly matched the model).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    public required LeadInTimings Timings { get; init; }

    /// <summary>The WAV written, when the request asked for one.</summary>
    public string? OutputPath { get; init; }
}
