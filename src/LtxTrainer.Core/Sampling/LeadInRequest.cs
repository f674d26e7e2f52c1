using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Contract;

namespace LtxTrainer.Core.Sampling;

/// <summary>
/// One lead-in to generate into a closing clip. Defaults are the LTX-2.3 validation values of ltx-trainer
/// (<c>config.py</c>, <c>validation_runner.py</c>): 30 steps, audio CFG 7, STG 1 on block 28, rescale 0.7,
/// seed 42, the official negative prompt.
/// </summary>
public sealed record LeadInRequest
{
    /// <summary>
    /// ltx-trainer's <c>DEFAULT_NEGATIVE_PROMPT</c> (<c>config.py</c>; the same list as ltx-pipelines'
    /// <c>utils/constants.py</c>, which prefixes five caption tags for its own pipelines).
    /// </summary>
    public const string OfficialNegativePrompt =
        "blurry, out of focus, overexposed, underexposed, low contrast, washed out colors, excessive noise, " +
        "grainy texture, poor lighting, flickering, motion blur, distorted proportions, unnatural skin tones, " +
        "deformed facial features, asymmetrical face, missing facial features, extra limbs, disfigured hands, " +
        "wrong hand count, artifacts around text, inconsistent perspective, camera shake, incorrect depth of " +
        "field, background too sharp, background clutter, distracting reflections, harsh shadows, inconsistent " +
        "lighting direction, color banding, cartoonish rendering, 3D CGI look, unrealistic materials, uncanny " +
        "valley effect, incorrect ethnicity, wrong gender, exaggerated expressions, wrong gaze direction, " +
        "mismatched lip sync, silent or muted audio, distorted voice, robotic voice, echo, background noise, " +
        "off-sync audio, incorrect dialogue, added dialogue, repetitive speech, jittery movement, awkward " +
        "pauses, incorrect timing, unnatural transitions, inconsistent framing, tilted camera, flat lighting, " +
        "inconsistent tone, cinematic oversaturation, stylized filters, or AI artifacts.";

    /// <summary>The closing audio the lead-in leads into (its tokens stay clean through every step).</summary>
    public required ClosingClip Clip { get; init; }

    /// <summary>What the audio should be (the LoRA's trigger phrase goes here when it has one).</summary>
    public string Prompt { get; init; } = "";

    /// <summary>What guidance steers away from; null = <see cref="OfficialNegativePrompt"/>.</summary>
    public string? NegativePrompt { get; init; }

    /// <summary>Length of the whole result (lead-in + suffix) in seconds; with <see cref="FrameRate"/> the frame span covering it.</summary>
    public double DurationSeconds { get; init; } = 5.0;

    /// <summary>
    /// When set, the length is sized the way validation sizes it: the smallest 8k+1 frame count covering
    /// <see cref="DurationSeconds"/> at this rate, 9 to 121 frames (<see cref="PreviewSpan"/>).
    /// </summary>
    public int? FrameRate { get; init; }

    /// <summary>Denoising steps.</summary>
    public int Steps { get; init; } = 30;

    /// <summary>Classifier-free guidance scale (1 = no negative pass).</summary>
    public double CfgScale { get; init; } = 7.0;

    /// <summary>Spatio-temporal guidance scale (0 = no perturbed pass).</summary>
    public double StgScale { get; init; } = 1.0;

    /// <summary>Blocks whose audio self-attention the STG pass skips.</summary>
    public IReadOnlyList<int> StgBlocks { get; init; } = [28];

    /// <summary>
    /// The STG block when none is chosen: ltx-pipelines' [28] for LTX-2.3's 48 blocks (ltx_pipelines/utils/constants.py);
    /// a smaller model (the demo's, the tests') has no block 28, so its last block stands in.
    /// </summary>
    public static int DefaultStgBlock(int layers) => Math.Min(28, layers - 1);

    /// <summary>Guidance rescale (0 = off).</summary>
    public double GuidanceRescale { get; init; } = 0.7;

    /// <summary>Seed of the initial noise.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>LoRA files applied for this generation only (on top of adapters already attached to the model).</summary>
    public IReadOnlyList<LoraReference> Loras { get; init; } = [];

    /// <summary>Fuse the LoRA files into the base weights (as ltx-core's loader does) instead of running them as adapters.</summary>
    public bool FuseLoras { get; init; }

    /// <summary>When set, the result is also written there as a 16-bit PCM WAV at the vocoder's rate.</summary>
    public string? OutputPath { get; init; }

    /// <summary>The negative prompt in effect.</summary>
    public string ResolvedNegativePrompt => NegativePrompt ?? OfficialNegativePrompt;

    /// <summary>Seconds of the whole result as the model sees it (after frame sizing).</summary>
    public double TargetSeconds =>
        FrameRate is int fps ? PreviewSpan.Seconds(PreviewSpan.Frames(DurationSeconds, fps), fps) : DurationSeconds;

    /// <summary>Latent tokens of the whole result: round(25·seconds) (ltx-core <c>AudioLatentShape.from_duration</c>).</summary>
    public long TargetTokens => AudioLatentTiming.RoundedSteps(TargetSeconds);

    /// <summary>The guidance settings of this request.</summary>
    public GuidanceParams Guidance => new(CfgScale, StgScale, GuidanceRescale, 1.0, StgBlocks);

    /// <summary>
    /// Checks everything that needs no model: numbers in range, a length that leaves a lead-in before the clip,
    /// LoRA files that exist. Throws <see cref="LeadInRequestException"/> naming the setting.
    /// </summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Clip);
        if (Steps < 1) throw new LeadInRequestException(nameof(Steps), $"Steps must be at least 1 (got {Steps}).");
        if (!double.IsFinite(CfgScale)) throw new LeadInRequestException(nameof(CfgScale), "The CFG scale must be a finite number.");
        if (!double.IsFinite(StgScale) || StgScale < 0) throw new LeadInRequestException(nameof(StgScale), $"The STG scale must be 0 or more (got {StgScale}).");
        if (!double.IsFinite(GuidanceRescale) || GuidanceRescale < 0 || GuidanceRescale > 1)
            throw new LeadInRequestException(nameof(GuidanceRescale), $"The guidance rescale must be between 0 and 1 (got {GuidanceRescale}).");
        if (StgScale != 0 && StgBlocks.Count == 0) throw new LeadInRequestException(nameof(StgBlocks), "STG needs at least one block.");
        if (StgBlocks.Any(b => b < 0)) throw new LeadInRequestException(nameof(StgBlocks), "STG block indexes must be 0 or more.");
        if (!double.IsFinite(DurationSeconds) || DurationSeconds <= 0)
            throw new LeadInRequestException(nameof(DurationSeconds), $"The duration must be a positive number of seconds (got {DurationSeconds}).");
        if (FrameRate is <= 0) throw new LeadInRequestException(nameof(FrameRate), $"The frame rate must be positive (got {FrameRate}).");
        long total = TargetTokens, suffix = Clip.Tokens;
        if (total - suffix < 1)
            throw new LeadInRequestException(nameof(DurationSeconds), string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{TargetSeconds:0.###} s ({total} latent steps) leaves no lead-in before the {Clip.Seconds:0.###} s closing clip ({suffix} steps); ask for a longer duration or fewer conditioning seconds."));
        foreach (var lora in Loras)
        {
            if (string.IsNullOrWhiteSpace(lora.Path) || !File.Exists(lora.Path))
                throw new LeadInRequestException(nameof(Loras), $"LoRA file '{lora.Path}' does not exist.");
            if (!double.IsFinite(lora.Strength)) throw new LeadInRequestException(nameof(Loras), $"LoRA '{lora.Path}' has a strength that is not a number.");
        }
    }
}
