namespace LtxTrainer.Core.Sampling;

/// <summary>
/// What a lead-in preview left on disk and how it was made: the files, the lengths, every setting and the time
/// it took. The preview cmdlet's output; the trainer can write the same record for its validation previews.
/// </summary>
public sealed record LeadInPreview
{
    /// <summary>The 16-bit PCM WAV: generated lead-in, then the decoded closing clip.</summary>
    public required string Path { get; init; }

    /// <summary>Its spectrogram PNG with the seam marked (null when none was drawn).</summary>
    public string? SpectrogramPath { get; init; }

    /// <summary>The closing clip's file or URL.</summary>
    public required string SourcePath { get; init; }

    public required double LeadInSeconds { get; init; }
    public required double SuffixSeconds { get; init; }
    public required double TotalSeconds { get; init; }
    public required int SampleRate { get; init; }
    public required int Channels { get; init; }
    public required long LeadInTokens { get; init; }
    public required long SuffixTokens { get; init; }

    public required string Prompt { get; init; }
    public required string NegativePrompt { get; init; }
    public required double ConditioningSeconds { get; init; }
    public required double DurationSeconds { get; init; }
    public int? FrameRate { get; init; }
    public required int Steps { get; init; }
    public required double CfgScale { get; init; }
    public required double StgScale { get; init; }
    public required IReadOnlyList<int> StgBlocks { get; init; }
    public required double GuidanceRescale { get; init; }
    public required long Seed { get; init; }
    public required IReadOnlyList<LoraReference> Loras { get; init; }
    public required bool FuseLora { get; init; }
    public required string Device { get; init; }

    /// <summary>Seconds this preview took (its share of model loading included when it was the first of a session).</summary>
    public required double Seconds { get; init; }

    /// <summary>Seconds of each phase of the generation itself.</summary>
    public required LeadInTimings Timings { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The record for a finished generation written to <paramref name="wavPath"/>.</summary>
    public static LeadInPreview From(LeadInResult result, string wavPath, string? spectrogramPath, string sourcePath, string device, double seconds)
    {
        var r = result.Request;
        return new LeadInPreview
        {
            Path = wavPath,
            SpectrogramPath = spectrogramPath,
            SourcePath = sourcePath,
            LeadInSeconds = result.LeadInSeconds,
            SuffixSeconds = result.SuffixSeconds,
            TotalSeconds = result.TotalSeconds,
            SampleRate = result.SampleRate,
            Channels = result.Channels.Length,
            LeadInTokens = result.LeadInTokens,
            SuffixTokens = result.SuffixTokens,
            Prompt = r.Prompt,
            NegativePrompt = r.ResolvedNegativePrompt,
            ConditioningSeconds = r.Clip.Seconds,
            DurationSeconds = r.TargetSeconds,
            FrameRate = r.FrameRate,
            Steps = r.Steps,
            CfgScale = r.CfgScale,
            StgScale = r.StgScale,
            StgBlocks = r.StgBlocks,
            GuidanceRescale = r.GuidanceRescale,
            Seed = r.Seed,
            Loras = r.Loras,
            FuseLora = r.FuseLoras,
            Device = device,
            Seconds = seconds,
            Timings = result.Timings,
            Warnings = result.Warnings,
        };
    }
}
