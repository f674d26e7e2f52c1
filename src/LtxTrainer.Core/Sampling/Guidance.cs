using static TorchSharp.torch;

namespace LtxTrainer.Core.Sampling;

/// <summary>
/// MultiModalGuider.calculate for audio (ltx_core/components/guiders.py): in x̂0 space,
/// pred = cond + (cfg−1)(cond−uncond) + stg(cond−ptb) [+ (mod−1)(cond−mod)], then with rescale r ≠ 0
/// pred ·= r·std(cond)/std(pred) + (1−r), std unbiased over all elements. Computed in float32.
/// </summary>
public static class Guidance
{
    public static Tensor Combine(GuidanceParams p, Tensor cond, Tensor? uncondText, Tensor? uncondPerturbed, Tensor? uncondModality = null)
    {
        using var scope = NewDisposeScope();
        var dtype = cond.dtype;
        var c = cond.to(ScalarType.Float32);
        var pred = c;
        // Terms whose scale is zero are skipped: they would add exact zeros.
        if (p.CfgScale != 1.0) pred = pred + (p.CfgScale - 1) * (c - Required(uncondText, "unconditional"));
        if (p.StgScale != 0.0) pred = pred + p.StgScale * (c - Required(uncondPerturbed, "perturbed"));
        if (p.ModalityScale != 1.0) pred = pred + (p.ModalityScale - 1) * (c - Required(uncondModality, "modality-isolated"));
        if (p.RescaleScale != 0.0)
        {
            var factor = c.std() / pred.std();
            factor = p.RescaleScale * factor + (1 - p.RescaleScale);
            pred = pred * factor;
        }
        return pred.to(dtype).MoveToOuterDisposeScope();
    }

    private static Tensor Required(Tensor? t, string what) =>
        (t ?? throw new ArgumentException($"Guidance needs the {what} prediction for these scales.")).to(ScalarType.Float32);
}
