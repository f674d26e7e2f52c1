namespace LtxTrainer.Core.Sampling;

/// <summary>
/// Audio guidance (ltx_core/components/guiders.py; defaults from ltx_trainer/config.py): CFG scale, STG scale with the
/// blocks whose self-attention is skipped,
/// rescale factor, and modality scale (1 for audio-only). Defaults are the LTX-2.3 validation values.
/// </summary>
public sealed record GuidanceParams(double CfgScale = 7.0, double StgScale = 1.0, double RescaleScale = 0.7, double ModalityScale = 1.0, IReadOnlyList<int>? StgBlocks = null)
{
    /// <summary>STG blocks: LTX-2.3 uses block 28 (LTX-2: 29).</summary>
    public IReadOnlyList<int> PerturbedBlocks => StgBlocks ?? [28];

    /// <summary>The unconditional (negative prompt) pass is needed (cfg ≠ 1).</summary>
    public bool NeedsUnconditional => Math.Abs(CfgScale - 1.0) > 1e-9;

    /// <summary>The perturbed (STG) pass is needed (stg ≠ 0).</summary>
    public bool NeedsPerturbed => Math.Abs(StgScale) > 1e-9;
}
